package io.swarmkeeper.fleet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.udp.UdpCodec;
import io.swarmkeeper.udp.UdpResponse;
import io.swarmkeeper.udp.UdpResponseCodec;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A BEP 15 client that keeps many requests in flight at once, to any node of the fleet, written and
 * read by the tracker's own codec. A request unanswered within the timeout is sent again (with a
 * new transaction id) while it has attempts left; after the last it is reported unanswered, so that
 * no test waits on a lost datagram for longer than attempts times the timeout.
 */
final class UdpTrackerClient implements AutoCloseable {
  /** Leechers' peer_id; peers are told apart by address and port, never by this. */
  private static final byte[] PEER_ID =
      "-SK0001-fleettest000".getBytes(StandardCharsets.ISO_8859_1);

  static final int EVENT_NONE = 0;
  static final int EVENT_STARTED = 2;
  static final int EVENT_STOPPED = 3;

  /** A request's bytes once its connection id and transaction id are known. */
  interface Packet {
    void write(ByteBuf out, long connectionId, int transactionId);
  }

  /** A packet for the node listening on UDP {@code port}. */
  record Request(int port, Packet packet) {}

  /**
   * What came of a request: its answer (null when none came), when its last attempt left and when
   * the answer came (System.nanoTime).
   */
  record Outcome(UdpResponse response, long sentNanos, long answeredNanos) {
    boolean announced() {
      return response instanceof UdpResponse.Announced;
    }
  }

  private final DatagramSocket socket;
  private final InetAddress loopback = InetAddress.getLoopbackAddress();
  private final long timeoutNanos;
  private final int attempts;
  private final int window;
  private final byte[] receive = new byte[2048];
  private int nextTransaction = 1;
  private long late;

  /**
   * @param timeoutMillis how long one attempt waits for its answer
   * @param attempts sends per request, the first included
   * @param window requests in flight at most (the socket's receive buffer must hold their answers)
   */
  UdpTrackerClient(int timeoutMillis, int attempts, int window) throws IOException {
    this.socket = new DatagramSocket(new InetSocketAddress(loopback, 0));
    socket.setReceiveBufferSize(4 << 20);
    socket.setSoTimeout(5);
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.attempts = attempts;
    this.window = window;
  }

  static Packet announce(InfoHash infoHash, int port, long left, int event) {
    byte[] hash = infoHash.toBytes();
    return (out, connectionId, tx) ->
        UdpCodec.writeAnnounceRequest(
            out, connectionId, tx, hash, 0, PEER_ID, 0, left, 0, event, 0, 0, -1, port);
  }

  static Packet scrape(List<InfoHash> infoHashes) {
    return (out, connectionId, tx) -> {
      UdpCodec.writeHeader(out, connectionId, UdpCodec.ACTION_SCRAPE, tx);
      for (InfoHash h : infoHashes) {
        out.writeBytes(h.toBytes());
      }
    };
  }

  /** A connection id from the node on UDP {@code port} (retried like any request). */
  long connect(int port) throws IOException {
    Outcome o =
        exchange(
            0, List.of(new Request(port, (out, id, tx) -> UdpCodec.writeConnectRequest(out, tx))))[
            0];
    if (!(o.response() instanceof UdpResponse.Connected c)) {
      throw new IOException("no connect answer from udp port " + port + ": " + o.response());
    }
    return c.connectionId();
  }

  /** One request, with retries; its answer or null. */
  UdpResponse exchange(long connectionId, int port, Packet packet) throws IOException {
    return exchange(connectionId, List.of(new Request(port, packet)))[0].response();
  }

  /** Sends every request, keeping up to the window in flight; the outcomes in request order. */
  Outcome[] exchange(long connectionId, List<Request> requests) throws IOException {
    int n = requests.size();
    Outcome[] outcomes = new Outcome[n];
    int[] tries = new int[n];
    long[] sentAt = new long[n];
    Map<Integer, Integer> inFlight = new HashMap<>();
    ArrayDeque<long[]> deadlines = new ArrayDeque<>(); // {transaction, request, deadline}
    ArrayDeque<Integer> again = new ArrayDeque<>();
    ByteBuf out = Unpooled.buffer(1500);
    int next = 0;
    int done = 0;
    while (done < n) {
      while (inFlight.size() < window && (!again.isEmpty() || next < n)) {
        int i = again.isEmpty() ? next++ : again.poll();
        int tx = nextTransaction++;
        Request r = requests.get(i);
        out.clear();
        r.packet().write(out, connectionId, tx);
        socket.send(
            new DatagramPacket(
                out.array(), out.arrayOffset(), out.readableBytes(), loopback, r.port()));
        tries[i]++;
        sentAt[i] = System.nanoTime();
        inFlight.put(tx, i);
        deadlines.add(new long[] {tx, i, sentAt[i] + timeoutNanos});
      }
      DatagramPacket p = new DatagramPacket(receive, receive.length);
      try {
        socket.receive(p);
        if (p.getLength() >= UdpResponseCodec.HEADER_SIZE) {
          ByteBuf in = Unpooled.wrappedBuffer(p.getData(), 0, p.getLength());
          int tx = UdpResponseCodec.transactionId(in);
          Integer i = inFlight.remove(tx);
          if (i != null) {
            outcomes[i] =
                new Outcome(UdpResponseCodec.decode(in, false), sentAt[i], System.nanoTime());
            done++;
          } else if (tx > 0 && tx < nextTransaction) {
            late++;
          }
        }
      } catch (SocketTimeoutException idle) {
        // look at the deadlines
      }
      long now = System.nanoTime();
      for (long[] d = deadlines.peek(); d != null && d[2] - now <= 0; d = deadlines.peek()) {
        deadlines.poll();
        Integer i = inFlight.remove((int) d[0]);
        if (i == null) {
          continue; // answered
        }
        if (tries[i] < attempts) {
          again.add(i);
        } else {
          outcomes[i] = new Outcome(null, sentAt[i], now);
          done++;
        }
      }
    }
    return outcomes;
  }

  /** Answers that came after their request's timeout, and were dropped. */
  long late() {
    return late;
  }

  @Override
  public void close() {
    socket.close();
  }
}
