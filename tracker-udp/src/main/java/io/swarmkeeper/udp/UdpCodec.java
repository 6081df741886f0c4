package io.swarmkeeper.udp;

import io.netty.buffer.ByteBuf;
import io.swarmkeeper.swarm.AnnounceCall;
import io.swarmkeeper.swarm.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BEP 15 requests on the wire, both directions, without I/O: the tracker decodes them at their
 * fixed offsets from a buffer (never moving its reader index, never copying it); clients, tests and
 * the load generator encode them. {@link #decode} never throws: whatever the bytes, it answers a
 * request, {@link UdpRequest.Malformed} or {@link UdpRequest.Garbage}. BEP 41 options after byte 98
 * of an announce are parsed; URL data is kept. Responses are in {@link UdpResponseCodec}.
 */
public final class UdpCodec {
  public static final long PROTOCOL_ID = 0x41727101980L;
  public static final int ACTION_CONNECT = 0;
  public static final int ACTION_ANNOUNCE = 1;
  public static final int ACTION_SCRAPE = 2;
  public static final int ACTION_ERROR = 3;

  /** connection_id, action, transaction_id: the start of every request. */
  public static final int HEADER_SIZE = 16;

  public static final int ANNOUNCE_REQUEST_SIZE = 98;
  public static final int PEER_ID_BYTES = 20;

  private static final int OPTION_END = 0;
  private static final int OPTION_NOP = 1;
  private static final int OPTION_URL_DATA = 2;
  private static final int OPTION_MAX_LENGTH = 255;

  private UdpCodec() {}

  public static UdpRequest decode(ByteBuf packet, int maxScrapeHashes) {
    int start = packet.readerIndex();
    int length = packet.readableBytes();
    if (length < HEADER_SIZE) {
      return new UdpRequest.Garbage(DropReason.TOO_SHORT);
    }
    long connectionId = connectionId(packet);
    int action = action(packet);
    int transactionId = transactionId(packet);
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

  /** The action of a request of at least {@link #HEADER_SIZE} bytes, without decoding it. */
  public static int action(ByteBuf request) {
    return request.getInt(request.readerIndex() + 8);
  }

  public static int transactionId(ByteBuf request) {
    return request.getInt(request.readerIndex() + 12);
  }

  private static UdpRequest decodeAnnounce(
      ByteBuf p, int s, int length, long connectionId, int transactionId) {
    UdpRequest.Malformed fault = announceFault(p);
    if (fault != null) {
      return fault;
    }
    return new UdpRequest.Announce(
        connectionId,
        transactionId,
        infoHashAt(p, s + 16),
        p.toString(s + 36, PEER_ID_BYTES, StandardCharsets.ISO_8859_1),
        p.getLong(s + 56),
        announceLeft(p),
        p.getLong(s + 72),
        announceEvent(p),
        announceIpAddress(p),
        p.getInt(s + 88),
        announceNumWant(p),
        announcePort(p),
        length > ANNOUNCE_REQUEST_SIZE ? urlData(p, s + ANNOUNCE_REQUEST_SIZE, s + length) : null);
  }

  /**
   * What is wrong with an announce request (action 1, at least {@link #HEADER_SIZE} bytes), or null
   * when nothing is: then its fields are read where they lie ({@link #readInfoHash}, {@link
   * #announceEvent} and the others), with no request made of them. Allocates only for a fault.
   */
  public static UdpRequest.Malformed announceFault(ByteBuf p) {
    int s = p.readerIndex();
    int length = p.readableBytes();
    long connectionId = connectionId(p);
    int transactionId = transactionId(p);
    if (length < ANNOUNCE_REQUEST_SIZE) {
      return new UdpRequest.Malformed(
          connectionId, transactionId, "announce too short", DropReason.TOO_SHORT);
    }
    int event = announceEvent(p);
    if (event < 0 || event > 3) {
      return new UdpRequest.Malformed(
          connectionId, transactionId, "invalid event", DropReason.BAD_EVENT);
    }
    if (announcePort(p) == 0) {
      return new UdpRequest.Malformed(
          connectionId, transactionId, "invalid port 0", DropReason.BAD_PORT);
    }
    if (length > ANNOUNCE_REQUEST_SIZE
        && walkOptions(p, s + ANNOUNCE_REQUEST_SIZE, s + length, null) < 0) {
      return new UdpRequest.Malformed(
          connectionId, transactionId, "malformed BEP 41 options", DropReason.BAD_OPTIONS);
    }
    return null;
  }

  /**
   * The BEP 41 URL data (path and query) of a well-formed announce ({@link #announceFault} said
   * nothing), or null when it carries none; allocates only when it does.
   */
  public static String announceUrlData(ByteBuf announce) {
    int s = announce.readerIndex();
    int length = announce.readableBytes();
    return length > ANNOUNCE_REQUEST_SIZE
        ? urlData(announce, s + ANNOUNCE_REQUEST_SIZE, s + length)
        : null;
  }

  /**
   * The BEP 41 URL data of well-formed options, or null when they carry none. The common case, one
   * URL data option first (a path of at most 255 bytes), is read straight into the string.
   */
  private static String urlData(ByteBuf p, int from, int end) {
    if (end - from >= 2 && p.getUnsignedByte(from) == OPTION_URL_DATA) {
      int length = p.getUnsignedByte(from + 1);
      int next = from + 2 + length;
      if (next <= end && (next == end || p.getUnsignedByte(next) == OPTION_END)) {
        return p.toString(from + 2, length, StandardCharsets.ISO_8859_1);
      }
    }
    StringBuilder url = new StringBuilder();
    return walkOptions(p, from, end, url) > 0 ? url.toString() : null;
  }

  /**
   * Walks BEP 41 options from {@code i} to {@code end}, appending URL data to {@code url} (when not
   * null); answers how many URL data options there were, or -1 when an option runs past the end.
   * Unknown options are skipped by their length.
   */
  private static int walkOptions(ByteBuf p, int i, int end, StringBuilder url) {
    int urls = 0;
    while (i < end) {
      int type = p.getUnsignedByte(i++);
      if (type == OPTION_END) {
        break;
      }
      if (type == OPTION_NOP) {
        continue;
      }
      if (i >= end || i + 1 + p.getUnsignedByte(i) > end) {
        return -1;
      }
      int optionLength = p.getUnsignedByte(i++);
      if (type == OPTION_URL_DATA) {
        urls++;
        if (url != null) {
          url.append(p.toString(i, optionLength, StandardCharsets.ISO_8859_1));
        }
      }
      i += optionLength;
    }
    return urls;
  }

  public static long connectionId(ByteBuf request) {
    return request.getLong(request.readerIndex());
  }

  /** An announce's info_hash, into the call. */
  public static void readInfoHash(ByteBuf announce, AnnounceCall into) {
    int s = announce.readerIndex() + 16;
    into.infoHash(announce.getLong(s), announce.getLong(s + 8), announce.getInt(s + 16));
  }

  public static long announceLeft(ByteBuf announce) {
    return announce.getLong(announce.readerIndex() + 64);
  }

  public static int announceEvent(ByteBuf announce) {
    return announce.getInt(announce.readerIndex() + 80);
  }

  public static int announceIpAddress(ByteBuf announce) {
    return announce.getInt(announce.readerIndex() + 84);
  }

  public static int announceNumWant(ByteBuf announce) {
    return announce.getInt(announce.readerIndex() + 92);
  }

  public static int announcePort(ByteBuf announce) {
    return announce.getUnsignedShort(announce.readerIndex() + 96);
  }

  private static UdpRequest decodeScrape(
      ByteBuf p, int s, int length, long connectionId, int transactionId, int maxHashes) {
    int count = (length - HEADER_SIZE) / InfoHash.BYTES;
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
      hashes.add(infoHashAt(p, s + HEADER_SIZE + i * InfoHash.BYTES));
    }
    return new UdpRequest.Scrape(connectionId, transactionId, hashes);
  }

  private static InfoHash infoHashAt(ByteBuf p, int offset) {
    return InfoHash.of(p.getLong(offset), p.getLong(offset + 8), p.getInt(offset + 16));
  }

  /** Writes a request as a client sends it; a rejection is no request and is refused. */
  public static void encode(UdpRequest request, ByteBuf out) {
    if (request instanceof UdpRequest.Connect c) {
      writeConnectRequest(out, c.transactionId());
    } else if (request instanceof UdpRequest.Announce a) {
      writeAnnounceRequest(
          out,
          a.connectionId(),
          a.transactionId(),
          a.infoHash().toBytes(),
          0,
          latin1(a.peerId()),
          a.downloaded(),
          a.left(),
          a.uploaded(),
          a.event(),
          a.ipAddress(),
          a.key(),
          a.numWant(),
          a.port());
      if (a.urlData() != null) {
        writeUrlData(out, a.urlData());
      }
    } else if (request instanceof UdpRequest.Scrape s) {
      writeHeader(out, s.connectionId(), ACTION_SCRAPE, s.transactionId());
      for (InfoHash h : s.infoHashes()) {
        writeInfoHash(out, h);
      }
    } else {
      throw new IllegalArgumentException("not a request a client sends: " + request);
    }
  }

  public static void writeConnectRequest(ByteBuf out, int transactionId) {
    writeHeader(out, PROTOCOL_ID, ACTION_CONNECT, transactionId);
  }

  /** The 16 bytes every request starts with; a scrape's info hashes follow, 20 bytes each. */
  public static void writeHeader(ByteBuf out, long connectionId, int action, int transactionId) {
    out.writeLong(connectionId).writeInt(action).writeInt(transactionId);
  }

  /**
   * An announce without BEP 41 options from primitives, for a client that keeps its info hashes in
   * one array and allocates nothing per request (the load generator).
   */
  public static void writeAnnounceRequest(
      ByteBuf out,
      long connectionId,
      int transactionId,
      byte[] infoHashes,
      int infoHashOffset,
      byte[] peerId,
      long downloaded,
      long left,
      long uploaded,
      int event,
      int ipAddress,
      int key,
      int numWant,
      int port) {
    if (peerId.length != PEER_ID_BYTES) {
      throw new IllegalArgumentException("a peer_id has 20 bytes, got " + peerId.length);
    }
    writeHeader(out, connectionId, ACTION_ANNOUNCE, transactionId);
    out.writeBytes(infoHashes, infoHashOffset, InfoHash.BYTES).writeBytes(peerId);
    out.writeLong(downloaded).writeLong(left).writeLong(uploaded);
    out.writeInt(event).writeInt(ipAddress).writeInt(key).writeInt(numWant).writeShort(port);
  }

  private static void writeInfoHash(ByteBuf out, InfoHash h) {
    out.writeLong(h.high()).writeLong(h.middle()).writeInt(h.low());
  }

  /** BEP 41: URL data split into options of at most 255 bytes, then the end of options. */
  /**
   * Appends BEP 41 URL data (the announce URL's path and query) to an announce request, as options
   * of at most 255 bytes each, then the end option.
   */
  public static void writeUrlData(ByteBuf out, String urlData) {
    int i = 0;
    do {
      int n = Math.min(OPTION_MAX_LENGTH, urlData.length() - i);
      out.writeByte(OPTION_URL_DATA).writeByte(n);
      writeLatin1(out, urlData, i, n);
      i += n;
    } while (i < urlData.length());
    out.writeByte(OPTION_END);
  }

  /** One byte per char, as {@link #decode} reads them back; a char above 0xFF has no byte. */
  private static void writeLatin1(ByteBuf out, String s, int from, int length) {
    out.writeBytes(latin1(s.substring(from, from + length)));
  }

  private static byte[] latin1(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        throw new IllegalArgumentException(
            "not a byte: U+" + Integer.toHexString(s.charAt(i)) + " in " + s);
      }
    }
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
