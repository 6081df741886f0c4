package io.swarmkeeper.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.ScrapeStats;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A blocking BEP 15 client over a real socket, speaking through the codec, checking answers. */
final class TrackerClient implements AutoCloseable {
  static final String PEER_ID = "-SK0001-abcdefghijkl";

  final DatagramSocket socket;
  private final InetSocketAddress tracker;
  long connectionId;

  TrackerClient(InetAddress bindAddress, InetSocketAddress tracker) throws IOException {
    this.socket = new DatagramSocket(new InetSocketAddress(bindAddress, 0));
    this.socket.setSoTimeout(2000);
    this.tracker = tracker;
  }

  static TrackerClient ipv4(int port) throws IOException {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    return new TrackerClient(lo, new InetSocketAddress(lo, port));
  }

  /** An announce as this client sends it: fixed peer_id, key and byte counts, no URL data. */
  static UdpRequest.Announce announceRequest(
      long connectionId,
      int transactionId,
      InfoHash infoHash,
      long left,
      int event,
      int ip,
      int numWant,
      int port) {
    return new UdpRequest.Announce(
        connectionId,
        transactionId,
        infoHash,
        PEER_ID,
        1000,
        left,
        2000,
        event,
        ip,
        0x1234,
        numWant,
        port,
        null);
  }

  UdpRequest.Announce announceRequest(int transactionId, InfoHash h, int port, int event) {
    return announceRequest(connectionId, transactionId, h, 100, event, 0, 10, port);
  }

  void send(UdpRequest request) throws IOException {
    ByteBuf b = Unpooled.buffer();
    UdpCodec.encode(request, b);
    send(ByteBufUtil.getBytes(b));
  }

  void send(byte[] bytes) throws IOException {
    socket.send(new DatagramPacket(bytes, bytes.length, tracker));
  }

  /** The next answer, or null when none came within {@code millis}. */
  UdpResponse receive(int millis) throws IOException {
    socket.setSoTimeout(millis);
    byte[] buf = new byte[65_536]; // the largest datagram, so an oversized answer shows whole
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    boolean ipv6 = tracker.getAddress() instanceof Inet6Address;
    return UdpResponseCodec.decode(Unpooled.wrappedBuffer(buf, 0, p.getLength()), ipv6);
  }

  UdpResponse exchange(UdpRequest request) throws IOException {
    send(request);
    UdpResponse answer = receive(2000);
    if (answer == null) {
      throw new AssertionError("no answer from the tracker");
    }
    return answer;
  }

  /** The answer to {@code request}, which must be of {@code type} and carry its transaction id. */
  <T extends UdpResponse> T exchange(UdpRequest request, int tx, Class<T> type) throws IOException {
    UdpResponse r = exchange(request);
    if (!type.isInstance(r) || transactionId(r) != tx) {
      throw new AssertionError("expected a " + type.getSimpleName() + " for " + tx + ", got " + r);
    }
    return type.cast(r);
  }

  static int transactionId(UdpResponse r) {
    if (r instanceof UdpResponse.Connected c) {
      return c.transactionId();
    } else if (r instanceof UdpResponse.Announced a) {
      return a.transactionId();
    } else if (r instanceof UdpResponse.Scraped s) {
      return s.transactionId();
    } else if (r instanceof UdpResponse.TrackerError e) {
      return e.transactionId();
    }
    throw new AssertionError("unreadable answer: " + r);
  }

  long connect() throws IOException {
    int tx = ThreadLocalRandom.current().nextInt();
    connectionId =
        exchange(new UdpRequest.Connect(tx), tx, UdpResponse.Connected.class).connectionId();
    return connectionId;
  }

  UdpResponse.Announced announce(InfoHash h, int port, long left, int event, int numWant)
      throws IOException {
    int tx = ThreadLocalRandom.current().nextInt();
    return exchange(
        announceRequest(connectionId, tx, h, left, event, 0, numWant, port),
        tx,
        UdpResponse.Announced.class);
  }

  List<ScrapeStats> scrape(List<InfoHash> hashes) throws IOException {
    int tx = ThreadLocalRandom.current().nextInt();
    return exchange(new UdpRequest.Scrape(connectionId, tx, hashes), tx, UdpResponse.Scraped.class)
        .stats();
  }

  /** The message of an error answer to {@code request}. */
  String error(UdpRequest request) throws IOException {
    UdpResponse r = exchange(request);
    if (!(r instanceof UdpResponse.TrackerError e)) {
      throw new AssertionError("expected an error packet, got " + r);
    }
    return e.message();
  }

  int localPort() {
    return socket.getLocalPort();
  }

  @Override
  public void close() {
    socket.close();
  }
}
