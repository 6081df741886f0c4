package io.swarmkeeper.udp;

import io.netty.buffer.ByteBuf;
import io.swarmkeeper.swarm.AnnounceCall;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BEP 15 answers on the wire, both directions, without I/O: the tracker writes them; clients, tests
 * and the load generator read them, either whole with {@link #decode} (never throws) or field by
 * field at their fixed offsets (relative to the reader index, allocating nothing) on a hot path.
 */
public final class UdpResponseCodec {
  /** action and transaction_id: the start of every answer. */
  public static final int HEADER_SIZE = 8;

  public static final int CONNECT_SIZE = 16;
  public static final int ANNOUNCE_HEADER_SIZE = 20;
  public static final int IPV4_PEER_SIZE = 6;
  public static final int IPV6_PEER_SIZE = 18;
  public static final int SCRAPE_ENTRY_SIZE = 12;

  private UdpResponseCodec() {}

  public static void writeConnect(ByteBuf out, int transactionId, long connectionId) {
    out.writeInt(UdpCodec.ACTION_CONNECT).writeInt(transactionId).writeLong(connectionId);
  }

  public static int announceSize(AnnounceResult result) {
    return ANNOUNCE_HEADER_SIZE + result.compactPeers().length;
  }

  public static void writeAnnounce(
      ByteBuf out, int transactionId, int intervalSeconds, AnnounceResult result) {
    writeAnnounceHeader(out, transactionId, intervalSeconds, result.leechers(), result.seeders());
    out.writeBytes(result.compactPeers());
  }

  /** An announce answered inline: its counts and compact peers straight from the call. */
  public static void writeAnnounce(
      ByteBuf out, int transactionId, int intervalSeconds, AnnounceCall answered) {
    writeAnnounceHeader(
        out, transactionId, intervalSeconds, answered.leechers(), answered.seeders());
    out.writeBytes(answered.peers(), 0, answered.peerBytes());
  }

  private static void writeAnnounceHeader(
      ByteBuf out, int transactionId, int intervalSeconds, int leechers, int seeders) {
    out.writeInt(UdpCodec.ACTION_ANNOUNCE)
        .writeInt(transactionId)
        .writeInt(intervalSeconds)
        .writeInt(leechers)
        .writeInt(seeders);
  }

  public static int scrapeSize(int entries) {
    return HEADER_SIZE + SCRAPE_ENTRY_SIZE * entries;
  }

  public static void writeScrape(ByteBuf out, int transactionId, List<ScrapeStats> stats) {
    out.writeInt(UdpCodec.ACTION_SCRAPE).writeInt(transactionId);
    for (ScrapeStats s : stats) {
      out.writeInt(s.seeders()).writeInt(s.completed()).writeInt(s.leechers());
    }
  }

  public static int errorSize(String message) {
    return HEADER_SIZE + message.length();
  }

  public static void writeError(ByteBuf out, int transactionId, String message) {
    out.writeInt(UdpCodec.ACTION_ERROR).writeInt(transactionId);
    out.writeCharSequence(message, StandardCharsets.US_ASCII);
  }

  /** Writes any answer, as a tracker (or a test standing in for one) sends it. */
  public static void encode(UdpResponse response, ByteBuf out) {
    if (response instanceof UdpResponse.Connected c) {
      writeConnect(out, c.transactionId(), c.connectionId());
    } else if (response instanceof UdpResponse.Announced a) {
      writeAnnounceHeader(out, a.transactionId(), a.intervalSeconds(), a.leechers(), a.seeders());
      for (PeerEndpoint p : a.peers()) {
        if (p.ipv6()) {
          out.writeLong(p.high()).writeLong(p.low());
        } else {
          out.writeInt((int) p.low());
        }
        out.writeShort(p.port());
      }
    } else if (response instanceof UdpResponse.Scraped s) {
      writeScrape(out, s.transactionId(), s.stats());
    } else if (response instanceof UdpResponse.TrackerError e) {
      writeError(out, e.transactionId(), e.message());
    } else {
      throw new IllegalArgumentException("not an answer a tracker sends: " + response);
    }
  }

  /**
   * Reads a whole answer; {@code ipv6Peers} says whether the announce went over IPv6 (the bytes
   * cannot: 18 is a multiple of 6).
   */
  public static UdpResponse decode(ByteBuf r, boolean ipv6Peers) {
    int length = r.readableBytes();
    if (length < HEADER_SIZE) {
      return new UdpResponse.Unreadable("answer of " + length + " bytes");
    }
    int action = action(r);
    int tx = transactionId(r);
    switch (action) {
      case UdpCodec.ACTION_CONNECT:
        return length == CONNECT_SIZE
            ? new UdpResponse.Connected(tx, connectionId(r))
            : new UdpResponse.Unreadable("connect answer of " + length + " bytes, not 16");
      case UdpCodec.ACTION_ANNOUNCE:
        return decodeAnnounce(r, tx, ipv6Peers);
      case UdpCodec.ACTION_SCRAPE:
        return decodeScrape(r, tx);
      case UdpCodec.ACTION_ERROR:
        return new UdpResponse.TrackerError(tx, errorMessage(r));
      default:
        return new UdpResponse.Unreadable("unknown action " + action);
    }
  }

  private static UdpResponse decodeAnnounce(ByteBuf r, int tx, boolean ipv6) {
    int count = peerCount(r, ipv6);
    if (count < 0) {
      return new UdpResponse.Unreadable(
          "announce answer of "
              + r.readableBytes()
              + " bytes: peer entries are not "
              + (ipv6 ? IPV6_PEER_SIZE : IPV4_PEER_SIZE)
              + " bytes");
    }
    List<PeerEndpoint> peers = new ArrayList<>(count);
    int at = r.readerIndex() + ANNOUNCE_HEADER_SIZE;
    for (int i = 0; i < count; i++) {
      if (ipv6) {
        peers.add(PeerEndpoint.ipv6(r.getLong(at), r.getLong(at + 8), r.getUnsignedShort(at + 16)));
        at += IPV6_PEER_SIZE;
      } else {
        peers.add(PeerEndpoint.ipv4(r.getInt(at), r.getUnsignedShort(at + 4)));
        at += IPV4_PEER_SIZE;
      }
    }
    return new UdpResponse.Announced(tx, interval(r), leechers(r), seeders(r), List.copyOf(peers));
  }

  private static UdpResponse decodeScrape(ByteBuf r, int tx) {
    int count = scrapeEntries(r);
    if (count < 0) {
      return new UdpResponse.Unreadable(
          "scrape answer of " + r.readableBytes() + " bytes: entries are not 12 bytes");
    }
    List<ScrapeStats> stats = new ArrayList<>(count);
    for (int i = 0, at = r.readerIndex() + HEADER_SIZE; i < count; i++, at += SCRAPE_ENTRY_SIZE) {
      stats.add(new ScrapeStats(r.getInt(at), r.getInt(at + 4), r.getInt(at + 8)));
    }
    return new UdpResponse.Scraped(tx, List.copyOf(stats));
  }

  // Field by field, at the reader index; the caller checks the length first.

  public static int action(ByteBuf r) {
    return r.getInt(r.readerIndex());
  }

  public static int transactionId(ByteBuf r) {
    return r.getInt(r.readerIndex() + 4);
  }

  /** Of a connect answer. */
  public static long connectionId(ByteBuf r) {
    return r.getLong(r.readerIndex() + 8);
  }

  /** Of an announce answer, as are the two below. */
  public static int interval(ByteBuf r) {
    return r.getInt(r.readerIndex() + 8);
  }

  public static int leechers(ByteBuf r) {
    return r.getInt(r.readerIndex() + 12);
  }

  public static int seeders(ByteBuf r) {
    return r.getInt(r.readerIndex() + 16);
  }

  /** The peers in an announce answer, or -1 when its length is no whole number of them. */
  public static int peerCount(ByteBuf r, boolean ipv6) {
    int bytes = r.readableBytes() - ANNOUNCE_HEADER_SIZE;
    int stride = ipv6 ? IPV6_PEER_SIZE : IPV4_PEER_SIZE;
    return bytes < 0 || bytes % stride != 0 ? -1 : bytes / stride;
  }

  /** The address of IPv4 peer {@code i} of an announce answer. */
  public static int ipv4PeerAddress(ByteBuf r, int i) {
    return r.getInt(r.readerIndex() + ANNOUNCE_HEADER_SIZE + i * IPV4_PEER_SIZE);
  }

  public static int ipv4PeerPort(ByteBuf r, int i) {
    return r.getUnsignedShort(r.readerIndex() + ANNOUNCE_HEADER_SIZE + i * IPV4_PEER_SIZE + 4);
  }

  /** The entries in a scrape answer, or -1 when its length is no whole number of them. */
  public static int scrapeEntries(ByteBuf r) {
    int bytes = r.readableBytes() - HEADER_SIZE;
    return bytes < 0 || bytes % SCRAPE_ENTRY_SIZE != 0 ? -1 : bytes / SCRAPE_ENTRY_SIZE;
  }

  /** The text of an error answer. */
  public static String errorMessage(ByteBuf r) {
    return r.toString(
        r.readerIndex() + HEADER_SIZE, r.readableBytes() - HEADER_SIZE, StandardCharsets.US_ASCII);
  }
}
