package io.swarmkeeper.udp;

import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A blocking BEP 15 client over a real socket, checking every answer it reads. */
final class TrackerClient implements AutoCloseable {
  final DatagramSocket socket;
  private final InetSocketAddress tracker;
  long connectionId;

  record Announced(int interval, int leechers, int seeders, List<PeerEndpoint> peers) {}

  TrackerClient(InetAddress bindAddress, InetSocketAddress tracker) throws IOException {
    this.socket = new DatagramSocket(new InetSocketAddress(bindAddress, 0));
    this.socket.setSoTimeout(2000);
    this.tracker = tracker;
  }

  static TrackerClient ipv4(int port) throws IOException {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    return new TrackerClient(lo, new InetSocketAddress(lo, port));
  }

  void send(byte[] bytes) throws IOException {
    socket.send(new DatagramPacket(bytes, bytes.length, tracker));
  }

  /** The next datagram, or null when none came within {@code millis}. */
  ByteBuffer receive(int millis) throws IOException {
    socket.setSoTimeout(millis);
    byte[] buf = new byte[4096];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return ByteBuffer.wrap(Arrays.copyOf(buf, p.getLength()));
  }

  ByteBuffer exchange(byte[] request) throws IOException {
    send(request);
    ByteBuffer answer = receive(2000);
    if (answer == null) {
      throw new AssertionError("no answer from the tracker");
    }
    return answer;
  }

  long connect() throws IOException {
    int tx = ThreadLocalRandom.current().nextInt();
    ByteBuffer r = exchange(Packets.connect(tx));
    check(r.remaining() == 16, "connect answer of 16 bytes, got " + r.remaining());
    check(r.getInt(0) == 0 && r.getInt(4) == tx, "connect action and transaction id");
    connectionId = r.getLong(8);
    return connectionId;
  }

  Announced announce(InfoHash h, int port, long left, int event, int numWant) throws IOException {
    int tx = ThreadLocalRandom.current().nextInt();
    ByteBuffer r = exchange(Packets.announce(connectionId, tx, h, left, event, numWant, port));
    return parseAnnounce(r, tx);
  }

  Announced parseAnnounce(ByteBuffer r, int tx) {
    check(r.getInt(0) == 1, "announce action, got " + r.getInt(0) + " " + error(r));
    check(r.getInt(4) == tx, "transaction id");
    boolean ipv6 = tracker.getAddress() instanceof java.net.Inet6Address;
    int stride = ipv6 ? 18 : 6;
    check((r.remaining() - 20) % stride == 0, "peer entries of " + stride + " bytes");
    List<PeerEndpoint> peers = new ArrayList<>();
    for (int off = 20; off < r.remaining(); off += stride) {
      byte[] addr = new byte[stride - 2];
      r.get(off, addr);
      int port = r.getShort(off + stride - 2) & 0xFFFF;
      try {
        peers.add(PeerEndpoint.of(InetAddress.getByAddress(addr), port));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    return new Announced(r.getInt(8), r.getInt(12), r.getInt(16), peers);
  }

  List<ScrapeStats> scrape(List<InfoHash> hashes) throws IOException {
    int tx = ThreadLocalRandom.current().nextInt();
    ByteBuffer r = exchange(Packets.scrape(connectionId, tx, hashes));
    check(r.getInt(0) == 2 && r.getInt(4) == tx, "scrape action and transaction id " + error(r));
    check(r.remaining() == 8 + 12 * hashes.size(), "12 bytes per hash");
    List<ScrapeStats> out = new ArrayList<>();
    for (int off = 8; off < r.remaining(); off += 12) {
      out.add(new ScrapeStats(r.getInt(off), r.getInt(off + 4), r.getInt(off + 8)));
    }
    return out;
  }

  static String error(ByteBuffer r) {
    if (r.remaining() >= 8 && r.getInt(0) == 3) {
      byte[] msg = new byte[r.remaining() - 8];
      r.get(8, msg);
      return "error: " + new String(msg, java.nio.charset.StandardCharsets.US_ASCII);
    }
    return "";
  }

  int localPort() {
    return socket.getLocalPort();
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("bad answer: " + what);
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
