package io.swarmkeeper.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.udp.UdpCodec;
import io.swarmkeeper.udp.UdpRequest;
import io.swarmkeeper.udp.UdpResponse;
import io.swarmkeeper.udp.UdpResponseCodec;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The hash-flooding attack of issue 8, end to end over UDP against a running tracker: what one
 * address's flood of info_hashes that collided under swarmkeeper's old unkeyed hash does to an
 * honest client on another address. The honest client announces once every 20 ms, waiting up to 1 s
 * for each answer, first alone, then while the attacker (having planted its swarms) sends scrapes
 * of 74 absent colliding hashes at a fixed rate. Prints the honest client's answers per second and
 * latency quantiles in both phases and what became of the planted announces. Loopback only.
 *
 * <p>Run against a tracker on 127.0.0.1:6969 (pin it and this tool to different CPUs): {@code java
 * -cp benchmarks/target/benchmarks.jar io.swarmkeeper.benchmarks.FloodCheck [port] [planted]
 * [scrapes/s] [seconds]} (defaults 6969 60000 400 15).
 */
public final class FloodCheck {
  private static final InetAddress TRACKER = loopback(1);
  private static final InetAddress ATTACKER = loopback(2);
  private static final InetAddress HONEST = loopback(3);
  private static final int HASHES_PER_SCRAPE = 74;

  private FloodCheck() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 6969;
    int planted = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
    int scrapesPerSecond = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
    InetSocketAddress tracker = new InetSocketAddress(TRACKER, port);
    int target = 0x5eed;

    Phase alone = honestClient(tracker, seconds);
    System.out.println("honest client alone:        " + alone);

    int[] outcome = plant(tracker, planted, target);
    System.out.printf(
        "attacker planted %d colliding info_hashes: %d answered, %d refused (%s), %d lost%n",
        planted, outcome[0], outcome[1], lastRefusal, outcome[2]);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong scrapesSent = new AtomicLong();
    Thread flood =
        new Thread(
            () -> scrapeFlood(tracker, planted, target, scrapesPerSecond, stop, scrapesSent),
            "flood");
    flood.start();
    Phase flooded = honestClient(tracker, seconds);
    stop.set(true);
    flood.join();
    System.out.println("honest client under flood:  " + flooded);
    System.out.printf(
        "flood: %d scrapes of %d absent colliding hashes (%.0f/s)%n",
        scrapesSent.get(), HASHES_PER_SCRAPE, scrapesSent.get() / (double) seconds);
    System.out.printf(
        "answers/s under flood / alone: %.2f%n",
        flooded.answersPerSecond() / alone.answersPerSecond());
  }

  private static volatile String lastRefusal = "none";

  /** One announce every 20 ms from its own address, each waiting up to 1 s for its answer. */
  private static Phase honestClient(InetSocketAddress tracker, int seconds) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(HONEST, 0))) {
      socket.setSoTimeout(1000);
      long id = connect(socket, tracker);
      List<Long> latencies = new ArrayList<>();
      int lost = 0;
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      int txn = 1;
      byte[] in = new byte[2048];
      while (System.nanoTime() < end) {
        long start = System.nanoTime();
        InfoHash swarm = InfoHash.of(0x1234, 0x5678, txn % 16);
        send(socket, tracker, announce(id, ++txn, swarm, 40_000 + txn % 1000));
        if (awaitAnswer(socket, in, txn)) {
          latencies.add(System.nanoTime() - start);
        } else {
          lost++;
        }
        waitUntil(start + 20_000_000L);
      }
      return new Phase(seconds, latencies, lost);
    }
  }

  /** Announces the colliding swarms in windows of 64; answers {answered, refused, lost}. */
  private static int[] plant(InetSocketAddress tracker, int count, int target) throws IOException {
    int answered = 0;
    int refused = 0;
    int lost = 0;
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ATTACKER, 0))) {
      socket.setReceiveBufferSize(4 << 20);
      socket.setSoTimeout(500);
      long id = connect(socket, tracker);
      byte[] in = new byte[2048];
      for (int base = 0; base < count; base += 64) {
        int n = Math.min(64, count - base);
        for (int i = 0; i < n; i++) {
          int k = base + i;
          send(socket, tracker, announce(id, k, CollidingInfoHashes.of(k, target), 1 + k % 60_000));
        }
        for (int i = 0; i < n; i++) {
          try {
            DatagramPacket p = new DatagramPacket(in, in.length);
            socket.receive(p);
            UdpResponse r =
                UdpResponseCodec.decode(Unpooled.wrappedBuffer(in, 0, p.getLength()), false);
            if (r instanceof UdpResponse.TrackerError e) {
              refused++;
              lastRefusal = e.message();
            } else {
              answered++;
            }
          } catch (SocketTimeoutException e) {
            lost += n - i;
            break;
          }
        }
      }
    }
    return new int[] {answered, refused, lost};
  }

  private static void scrapeFlood(
      InetSocketAddress tracker,
      int planted,
      int target,
      int perSecond,
      AtomicBoolean stop,
      AtomicLong sent) {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ATTACKER, 0))) {
      socket.setSoTimeout(1000);
      long id = connect(socket, tracker);
      long period = 1_000_000_000L / perSecond;
      long next = System.nanoTime();
      int absent = planted;
      int txn = 0;
      while (!stop.get()) {
        List<InfoHash> hashes = new ArrayList<>(HASHES_PER_SCRAPE);
        for (int i = 0; i < HASHES_PER_SCRAPE; i++) {
          hashes.add(CollidingInfoHashes.of(absent++, target));
        }
        send(socket, tracker, new UdpRequest.Scrape(id, ++txn, hashes));
        sent.incrementAndGet();
        next += period;
        waitUntil(next);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sleeps rather than spins: the flood and the honest client share this tool's one CPU. */
  private static void waitUntil(long nanos) {
    for (long left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private static long connect(DatagramSocket socket, InetSocketAddress tracker) throws IOException {
    byte[] in = new byte[64];
    for (int attempt = 0; attempt < 10; attempt++) {
      send(socket, tracker, new UdpRequest.Connect(attempt));
      try {
        DatagramPacket p = new DatagramPacket(in, in.length);
        socket.receive(p);
        if (UdpResponseCodec.decode(Unpooled.wrappedBuffer(in, 0, p.getLength()), false)
            instanceof UdpResponse.Connected c) {
          return c.connectionId();
        }
      } catch (SocketTimeoutException e) {
        // try again
      }
    }
    throw new IOException("no connect answer from " + tracker);
  }

  private static UdpRequest.Announce announce(long id, int txn, InfoHash hash, int port) {
    return new UdpRequest.Announce(
        id, txn, hash, "-FC0001-floodcheck00", 0, 1000, 0, 2, 0, txn, 50, port, null);
  }

  /** Reads until the answer to {@code txn} arrives (earlier late answers are skipped) or 1 s. */
  private static boolean awaitAnswer(DatagramSocket socket, byte[] in, int txn) throws IOException {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        DatagramPacket p = new DatagramPacket(in, in.length);
        socket.receive(p);
        if (p.getLength() >= 8
            && UdpResponseCodec.transactionId(Unpooled.wrappedBuffer(in, 0, p.getLength()))
                == txn) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      }
    }
    return false;
  }

  private static void send(DatagramSocket socket, InetSocketAddress to, UdpRequest request)
      throws IOException {
    ByteBuf out = Unpooled.buffer(1500);
    UdpCodec.encode(request, out);
    socket.send(new DatagramPacket(out.array(), out.arrayOffset(), out.readableBytes(), to));
  }

  private static InetAddress loopback(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the honest client saw in one phase. */
  private record Phase(int seconds, List<Long> latencies, int lost) {
    double answersPerSecond() {
      return latencies.size() / (double) seconds;
    }

    @Override
    public String toString() {
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      return String.format(
          "%.1f answers/s, %d unanswered within 1 s, latency p50 %.3f ms, p99 %.3f ms, max %.3f ms",
          answersPerSecond(),
          lost,
          quantile(sorted, 0.50),
          quantile(sorted, 0.99),
          sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
    }

    private static double quantile(long[] sorted, double q) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
  }
}
