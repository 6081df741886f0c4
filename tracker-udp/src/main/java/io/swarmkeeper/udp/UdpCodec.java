package io.swarmkeeper.udp;

import io.netty.buffer.ByteBuf;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.ScrapeStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BEP 15 on the wire, without I/O: reads requests at their fixed offsets from a buffer (never
 * moving its reader index, never copying it) and writes responses into one. {@link #decode} never
 * throws: whatever the bytes, it answers a request, {@link UdpRequest.Malformed} or {@link
 * UdpRequest.Garbage}. BEP 41 options after byte 98 of an announce are parsed; URL data is kept.
 */
public final class UdpCodec {
  public static final long PROTOCOL_ID = 0x41727101980L;
  public static final int ACTION_CONNECT = 0;
  public static final int ACTION_ANNOUNCE = 1;
  public static final int ACTION_SCRAPE = 2;
  public static final int ACTION_ERROR = 3;

  public static final int CONNECT_REQUEST_SIZE = 16;
  public static final int ANNOUNCE_REQUEST_SIZE = 98;
  public static final int CONNECT_RESPONSE_SIZE = 16;
  public static final int ANNOUNCE_RESPONSE_HEADER_SIZE = 20;
  public static final int SCRAPE_ENTRY_SIZE = 12;

  private static final int OPTION_END = 0;
  private static final int OPTION_NOP = 1;
  private static final int OPTION_URL_DATA = 2;

  private UdpCodec() {}

  public static UdpRequest decode(ByteBuf packet, int maxScrapeHashes) {
    int start = packet.readerIndex();
    int length = packet.readableBytes();
    if (length < 16) {
      return new UdpRequest.Garbage(DropReason.TOO_SHORT);
    }
    long connectionId = packet.getLong(start);
    int action = packet.getInt(start + 8);
    int transactionId = packet.getInt(start + 12);
    switch (action) {
      case ACTION_CONNECT:
        return connectionId == PROTOCOL_ID
            ? new UdpRequest.Connect(transactionId)
            : new UdpRequest.Garbage(DropReason.BAD_PROTOCOL_ID);
      case ACTION_ANNOUNCE:
        return decodeAnnounce(packet, start, length, connectionId, transactionId);
      case ACTION_SCRAPE:
        return decodeScrape(packet, start, length, connectionId, transactionId, maxScrapeHashes);
      default:
        return new UdpRequest.Malformed(
            connectionId, transactionId, "unknown action", DropReason.UNKNOWN_ACTION);
    }
  }

  private static UdpRequest decodeAnnounce(
      ByteBuf p, int s, int length, long connectionId, int transactionId) {
    if (length < ANNOUNCE_REQUEST_SIZE) {
      return new UdpRequest.Malformed(
          connectionId, transactionId, "announce too short", DropReason.TOO_SHORT);
    }
    int event = p.getInt(s + 80);
    if (event < 0 || event > 3) {
      return new UdpRequest.Malformed(
          connectionId, transactionId, "invalid event", DropReason.BAD_EVENT);
    }
    int port = p.getUnsignedShort(s + 96);
    if (port == 0) {
      return new UdpRequest.Malformed(
          connectionId, transactionId, "invalid port 0", DropReason.BAD_PORT);
    }
    String urlData = null;
    if (length > ANNOUNCE_REQUEST_SIZE) {
      StringBuilder url = null;
      int i = s + ANNOUNCE_REQUEST_SIZE;
      int end = s + length;
      while (i < end) {
        int type = p.getUnsignedByte(i++);
        if (type == OPTION_END) {
          break;
        }
        if (type == OPTION_NOP) {
          continue;
        }
        if (i >= end || i + 1 + p.getUnsignedByte(i) > end) {
          return new UdpRequest.Malformed(
              connectionId, transactionId, "malformed BEP 41 options", DropReason.BAD_OPTIONS);
        }
        int optionLength = p.getUnsignedByte(i++);
        if (type == OPTION_URL_DATA) {
          if (url == null) {
            url = new StringBuilder(optionLength);
          }
          url.append(p.toString(i, optionLength, StandardCharsets.ISO_8859_1));
        }
        i += optionLength; // unknown options are skipped by their length
      }
      urlData = url == null ? null : url.toString();
    }
    return new UdpRequest.Announce(
        connectionId,
        transactionId,
        infoHashAt(p, s + 16),
        p.getLong(s + 56),
        p.getLong(s + 64),
        p.getLong(s + 72),
        event,
        p.getInt(s + 84),
        p.getInt(s + 88),
        p.getInt(s + 92),
        port,
        urlData);
  }

  private static UdpRequest decodeScrape(
      ByteBuf p, int s, int length, long connectionId, int transactionId, int maxHashes) {
    int count = (length - 16) / InfoHash.BYTES;
    if (count == 0) {
      return new UdpRequest.Malformed(
          connectionId, transactionId, "scrape without info_hash", DropReason.BAD_SCRAPE);
    }
    if (count > maxHashes) {
      return new UdpRequest.Malformed(
          connectionId,
          transactionId,
          "too many info hashes (at most " + maxHashes + ")",
          DropReason.BAD_SCRAPE);
    }
    List<InfoHash> hashes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      hashes.add(infoHashAt(p, s + 16 + i * InfoHash.BYTES));
    }
    return new UdpRequest.Scrape(connectionId, transactionId, hashes);
  }

  private static InfoHash infoHashAt(ByteBuf p, int offset) {
    return InfoHash.of(p.getLong(offset), p.getLong(offset + 8), p.getInt(offset + 16));
  }

  public static void writeConnect(ByteBuf out, int transactionId, long connectionId) {
    out.writeInt(ACTION_CONNECT).writeInt(transactionId).writeLong(connectionId);
  }

  public static int announceSize(AnnounceResult result) {
    return ANNOUNCE_RESPONSE_HEADER_SIZE + result.compactPeers().length;
  }

  public static void writeAnnounce(
      ByteBuf out, int transactionId, int intervalSeconds, AnnounceResult result) {
    out.writeInt(ACTION_ANNOUNCE)
        .writeInt(transactionId)
        .writeInt(intervalSeconds)
        .writeInt(result.leechers())
        .writeInt(result.seeders())
        .writeBytes(result.compactPeers());
  }

  public static void writeScrape(ByteBuf out, int transactionId, List<ScrapeStats> stats) {
    out.writeInt(ACTION_SCRAPE).writeInt(transactionId);
    for (ScrapeStats s : stats) {
      out.writeInt(s.seeders()).writeInt(s.completed()).writeInt(s.leechers());
    }
  }

  public static void writeError(ByteBuf out, int transactionId, String message) {
    out.writeInt(ACTION_ERROR).writeInt(transactionId);
    out.writeCharSequence(message, StandardCharsets.US_ASCII);
  }
}
