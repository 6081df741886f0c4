package io.swarmkeeper.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.udp.UdpCodec;
import io.swarmkeeper.udp.UdpResponseCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A BEP 15 load: one Netty epoll event loop (one thread) driving one socket per source address,
 * each keeping its share of a window of requests in flight, validating every answer. With several
 * trackers (the nodes of a fleet) each socket sticks to one of them, round-robin, so its connect
 * and the announces that use the connection id go to the same node. Reads use recvmmsg and answers
 * to a read batch are sent with one flush (sendmmsg), so one generator core outpaces one tracker
 * core. Requests are written and answers read with the tracker's own codec, through its
 * allocation-free static methods.
 */
final class UdpLoad {
  private static final int KIND_ANNOUNCE = 0;
  private static final int KIND_SCRAPE = 1;
  private static final int CONNECT_SLOT = 0xFFFF;

  /** How a run is shaped; {@code trackers} get the source addresses in turn. */
  record Options(
      List<InetSocketAddress> trackers,
      int window,
      int minSources,
      String sourceBase,
      double warmupSeconds,
      double durationSeconds,
      int timeoutMillis,
      boolean populate,
      boolean closedLoop,
      double intervalScale,
      int renewSeconds,
      double rate) {

    Options {
      trackers = List.copyOf(trackers);
      if (trackers.isEmpty()) {
        throw new IllegalArgumentException("no tracker to load");
      }
    }

    /**
     * A fixed offered load: {@code requestsPerSecond} sent on a schedule whatever the answers do
     * (the window only caps what is in flight), latency counted from each request's scheduled time
     * so a late send is not hidden (no coordinated omission).
     */
    Options withRate(double requestsPerSecond) {
      return new Options(
          trackers,
          window,
          minSources,
          sourceBase,
          warmupSeconds,
          durationSeconds,
          timeoutMillis,
          populate,
          closedLoop,
          intervalScale,
          renewSeconds,
          requestsPerSecond);
    }
  }

  private final Options options;
  private final Scenario scenario;
  private final LoadStats stats = new LoadStats();
  private final SplittableRandom random = new SplittableRandom(7);
  private final long timeoutNanos;
  private Lane[] lanes;
  private boolean running = true;
  private boolean measuring;
  private long startNanos;

  /** Fixed-rate mode: requests scheduled so far, and the lane that sends the next one. */
  private long scheduled;

  private int nextLane;
  private final CompletableFuture<LoadStats> done = new CompletableFuture<>();
  private Runnable atWindowStart = () -> {};
  private Runnable atWindowEnd = () -> {};
  private Scenario populatedAlready;

  UdpLoad(Options options, Scenario scenario) {
    this.options = options;
    this.scenario = scenario;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(options.timeoutMillis());
  }

  /**
   * The peers of {@code part}, the first ones of this run's scenario ({@link Scenario#limitedTo}),
   * have announced already: the population pass starts after them rather than announcing them
   * again.
   */
  UdpLoad populatedAlready(Scenario part) {
    if (part.sources != scenario.sources || part.peers > scenario.peers) {
      throw new IllegalArgumentException("not a first part of this scenario");
    }
    this.populatedAlready = part;
    return this;
  }

  /**
   * Runs {@code start} when the measured window opens and {@code end} when it closes, on the
   * generator's thread at those instants: what is read there (a tracker's CPU time) covers the
   * window and not the population or the warm-up. Keep them short; the schedule waits for them.
   */
  UdpLoad onWindow(Runnable start, Runnable end) {
    this.atWindowStart = start;
    this.atWindowEnd = end;
    return this;
  }

  LoadStats run() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      EventLoop loop = group.next();
      int sources = scenario.sources;
      if (options.trackers().size() > sources) {
        throw new IllegalArgumentException(
            options.trackers().size()
                + " trackers need at least as many source addresses (--sources), got "
                + sources);
      }
      lanes = new Lane[sources];
      byte[] base = InetAddress.getByName(options.sourceBase()).getAddress();
      for (int k = 0; k < sources; k++) {
        byte[] addr = base.clone();
        addr[3] = (byte) ((base[3] & 0xFF) + k);
        int window = options.window() / sources + (k < options.window() % sources ? 1 : 0);
        lanes[k] = new Lane(k, InetAddress.getByAddress(addr), Math.max(1, window));
        if (populatedAlready != null) {
          lanes[k].populateCursor = populatedAlready.peersOfSource(k);
        }
        Bootstrap b =
            new Bootstrap()
                .group(loop)
                .channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 2048)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048 * 64))
                .handler(lanes[k]);
        // A connected socket spares the kernel a route lookup per datagram, both ways.
        InetSocketAddress tracker = options.trackers().get(k % options.trackers().size());
        lanes[k].channel =
            b.connect(tracker, new InetSocketAddress(lanes[k].address, 0)).sync().channel();
      }
      loop.execute(
          () -> {
            startNanos = System.nanoTime();
            for (Lane lane : lanes) {
              lane.sendConnect(startNanos);
              lane.channel.flush();
            }
          });
      loop.scheduleAtFixedRate(this::tick, 10, 10, TimeUnit.MILLISECONDS);
      if (options.rate() > 0) {
        loop.scheduleAtFixedRate(this::pace, 100, 100, TimeUnit.MICROSECONDS);
      }
      long limit = (long) ((options.warmupSeconds() + options.durationSeconds()) * 1000) + 600_000;
      return done.get(limit, TimeUnit.MILLISECONDS);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** Phases, timeouts, connection id renewal, the closed loop's schedule. */
  private void tick() {
    long now = System.nanoTime();
    double elapsed = (now - startNanos) / 1e9;
    if (!measuring && running && elapsed >= options.warmupSeconds() && populated()) {
      atWindowStart.run();
      measuring = true;
      stats.reset(System.nanoTime());
    }
    if (measuring && running && (now - stats.startNanos) / 1e9 >= options.durationSeconds()) {
      running = false;
      stats.endNanos = now;
      atWindowEnd.run();
    }
    boolean inFlight = false;
    for (Lane lane : lanes) {
      lane.tick(now);
      inFlight |= lane.inFlight > 0;
    }
    if (!running && (!inFlight || (now - stats.endNanos) > timeoutNanos)) {
      done.complete(stats);
    }
    if (elapsed > options.warmupSeconds() + options.durationSeconds() + 300) {
      stats.endNanos = now;
      done.complete(stats); // population never finished: report what there is
    }
  }

  /**
   * Fixed-rate mode: sends every request whose scheduled time has come, over the lanes in turn. A
   * request that finds every slot taken waits (it still counts its latency from its scheduled
   * time); it is not dropped.
   */
  private void pace() {
    if (!running) {
      return;
    }
    long now = System.nanoTime();
    double nanosPerRequest = 1e9 / options.rate();
    int blocked = 0;
    while (blocked < lanes.length) {
      long due = startNanos + (long) (scheduled * nanosPerRequest);
      if (due > now) {
        break;
      }
      Lane lane = lanes[nextLane];
      nextLane = nextLane + 1 == lanes.length ? 0 : nextLane + 1;
      if (lane.sendOne(due)) {
        scheduled++;
        blocked = 0;
      } else {
        blocked++;
      }
    }
    for (Lane lane : lanes) {
      lane.channel.flush();
    }
  }

  private boolean populated() {
    if (!options.populate()) {
      return true;
    }
    for (Lane lane : lanes) {
      if (lane.populateCursor < scenario.peersOfSource(lane.index)) {
        return false;
      }
    }
    return true;
  }

  /** One source address: its socket, its connection id, its slots of requests in flight. */
  private final class Lane extends SimpleChannelInboundHandler<DatagramPacket> {
    final int index;
    final InetAddress address;
    final int addressBits;
    final int window;
    Channel channel;
    long connectionId;
    boolean connected;
    int connectTx;
    long connectSentNanos;
    long connectedNanos;
    int populateCursor;
    int inFlight;

    final long[] sent;
    final int[] tx;
    final byte[] kind;
    final int[] peer;
    final short[] numWant;
    final int[] free;
    int freeCount;
    private final byte[] peerId = "-SKLT01-000000000000".getBytes(StandardCharsets.US_ASCII);

    /** Closed loop: due times (ms since start) << 20 | peer index in this lane, as a min-heap. */
    long[] heap;

    int heapSize;

    Lane(int index, InetAddress address, int window) {
      this.index = index;
      this.address = address;
      byte[] a = address.getAddress();
      this.addressBits =
          (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
      this.window = Math.min(window, CONNECT_SLOT);
      sent = new long[this.window];
      tx = new int[this.window];
      kind = new byte[this.window];
      peer = new int[this.window];
      numWant = new short[this.window];
      free = new int[this.window];
      for (int i = 0; i < this.window; i++) {
        free[freeCount++] = this.window - 1 - i;
      }
      if (options.closedLoop()) {
        int n = scenario.peersOfSource(index);
        heap = new long[n + this.window];
        if (!options.populate()) { // else the population's answers schedule every peer
          for (int i = 0; i < n; i++) {
            push(((long) random.nextInt(10_000)) << 20 | i); // first announces spread over 10 s
          }
        }
      }
    }

    void sendConnect(long now) {
      connectTx = (random.nextInt(0x7FFF) << 16) | CONNECT_SLOT;
      connectSentNanos = now;
      ByteBuf b = channel.alloc().directBuffer(UdpCodec.HEADER_SIZE);
      UdpCodec.writeConnectRequest(b, connectTx);
      channel.write(b);
    }

    void tick(long now) {
      if (!connected && now - connectSentNanos > timeoutNanos) {
        sendConnect(now); // lost: ask again
      } else if (connected
          && now - connectedNanos > TimeUnit.SECONDS.toNanos(options.renewSeconds())
          && now - connectSentNanos > TimeUnit.SECONDS.toNanos(options.renewSeconds())) {
        sendConnect(now); // renew before the id ages out, as clients do
      }
      for (int s = 0; s < window; s++) {
        if (sent[s] != 0 && now - sent[s] > timeoutNanos) {
          sent[s] = 0;
          release(s);
          stats.timeouts++;
          if (options.closedLoop() && kind[s] == KIND_ANNOUNCE) {
            push(((now - startNanos) / 1_000_000 + 1000) << 20 | (peer[s] / scenario.sources));
          }
        }
      }
      fill(now);
      channel.flush();
    }

    private void release(int slot) {
      free[freeCount++] = slot;
      inFlight--;
    }

    void fill(long now) {
      if (options.rate() > 0) {
        return; // pace() sends
      }
      while (sendOne(now)) {}
    }

    /** Sends one request stamped {@code at}, if connected and a slot is free. */
    boolean sendOne(long at) {
      if (!connected || !running || freeCount == 0) {
        return false;
      }
      int p = nextPeer(at);
      if (p == -2) {
        return false; // closed loop: nobody due yet
      }
      int slot = free[--freeCount];
      inFlight++;
      sent[slot] = at;
      tx[slot] = (random.nextInt(0x7FFF) << 16) | slot;
      if (p < 0) {
        sendScrape(slot);
      } else {
        sendAnnounce(slot, p);
      }
      stats.requests++;
      return true;
    }

    /** The next peer to announce, -1 for a scrape, -2 for nothing due. */
    private int nextPeer(long now) {
      int perLane = scenario.peersOfSource(index);
      if (options.populate() && populateCursor < perLane) {
        return index + scenario.sources * populateCursor++;
      }
      if (options.closedLoop()) {
        long nowMs = (now - startNanos) / 1_000_000;
        if (heapSize == 0 || (heap[0] >>> 20) > nowMs) {
          return -2;
        }
        long top = pop();
        return index + scenario.sources * (int) (top & 0xFFFFF);
      }
      if (random.nextDouble() < scenario.scrapeShare) {
        return -1;
      }
      return index + scenario.sources * random.nextInt(perLane);
    }

    private void sendAnnounce(int slot, int p) {
      byte st = scenario.state[p];
      int event;
      long left;
      double r = random.nextDouble();
      if (st == Scenario.NEW) {
        event = 2; // started
        st = random.nextDouble() < scenario.seederFraction ? Scenario.SEEDER : Scenario.LEECHER;
        left = st == Scenario.SEEDER ? 0 : 1 << 30;
      } else if (st == Scenario.LEECHER && r < scenario.completeChance) {
        event = 1; // completed
        st = Scenario.SEEDER;
        left = 0;
      } else if (r > 1 - scenario.stopChance && !options.closedLoop()) {
        event = 3; // stopped
        st = Scenario.NEW;
        left = scenario.state[p] == Scenario.SEEDER ? 0 : 1 << 29;
      } else {
        event = 0;
        left = st == Scenario.SEEDER ? 0 : 1 << 29;
      }
      scenario.state[p] = st;
      int want =
          scenario.numWantMin
              + (scenario.numWantMax > scenario.numWantMin
                  ? random.nextInt(scenario.numWantMax - scenario.numWantMin + 1)
                  : 0);
      kind[slot] = KIND_ANNOUNCE;
      peer[slot] = p;
      numWant[slot] = (short) want;
      setPeerId(p);
      ByteBuf b =
          channel
              .alloc()
              .directBuffer(
                  UdpCodec.ANNOUNCE_REQUEST_SIZE
                      + (scenario.urlData == null ? 0 : scenario.urlData.length() + 8));
      UdpCodec.writeAnnounceRequest(
          b,
          connectionId,
          tx[slot],
          scenario.infoHashes(),
          scenario.swarmOf(p) * InfoHash.BYTES,
          peerId,
          0,
          left,
          0,
          event,
          0,
          p, // key
          want,
          scenario.port(p));
      if (scenario.urlData != null) {
        UdpCodec.writeUrlData(b, scenario.urlData);
      }
      channel.write(b, channel.voidPromise());
    }

    /** -SKLT01- and the peer's index in 12 digits. */
    private void setPeerId(int p) {
      for (int i = 19, v = p; i >= 8; i--, v /= 10) {
        peerId[i] = (byte) ('0' + v % 10);
      }
    }

    private void sendScrape(int slot) {
      int n = 1 + random.nextInt(scenario.maxScrapeHashes);
      kind[slot] = KIND_SCRAPE;
      numWant[slot] = (short) n;
      ByteBuf b = channel.alloc().directBuffer(UdpCodec.HEADER_SIZE + InfoHash.BYTES * n);
      UdpCodec.writeHeader(b, connectionId, UdpCodec.ACTION_SCRAPE, tx[slot]);
      for (int i = 0; i < n; i++) {
        int swarm = scenario.randomSwarm(random);
        b.writeBytes(scenario.infoHashes(), swarm * InfoHash.BYTES, InfoHash.BYTES);
      }
      channel.write(b, channel.voidPromise());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      long now = System.nanoTime();
      ByteBuf r = packet.content();
      int len = r.readableBytes();
      if (len < UdpResponseCodec.HEADER_SIZE) {
        stats.invalid("answer of " + len + " bytes");
        return;
      }
      int action = UdpResponseCodec.action(r);
      int txid = UdpResponseCodec.transactionId(r);
      if (txid == connectTx) {
        if (action == UdpCodec.ACTION_CONNECT && len == UdpResponseCodec.CONNECT_SIZE) {
          connectionId = UdpResponseCodec.connectionId(r);
          connected = true;
          connectedNanos = now;
          connectTx = -1; // matches no announce or scrape transaction id
          stats.connects++;
        } else {
          stats.invalid("connect answered with action " + action + ", " + len + " bytes");
        }
        return;
      }
      int slot = txid & 0xFFFF;
      if (slot >= window || sent[slot] == 0 || tx[slot] != txid) {
        stats.late++; // answered after its timeout, or not ours
        return;
      }
      stats.latencyMicros.recordValue(Math.min((now - sent[slot]), 9_999_999_000L) / 1000);
      sent[slot] = 0;
      release(slot);
      stats.responses++;
      if (action == UdpCodec.ACTION_ERROR) {
        stats.errorPackets++;
        if (stats.firstError == null) {
          stats.firstError = UdpResponseCodec.errorMessage(r);
        }
      } else if (kind[slot] == KIND_ANNOUNCE) {
        validateAnnounce(r, len, action, slot, now);
      } else {
        validateScrape(r, len, action, slot);
      }
    }

    private void validateAnnounce(ByteBuf r, int len, int action, int slot, long now) {
      if (action != UdpCodec.ACTION_ANNOUNCE || len < UdpResponseCodec.ANNOUNCE_HEADER_SIZE) {
        stats.invalid("announce answered with action " + action + ", " + len + " bytes");
        return;
      }
      int peers = UdpResponseCodec.peerCount(r, false);
      if (peers < 0) {
        stats.invalid("announce answer of " + len + " bytes: peer entries are not 6 bytes");
        return;
      }
      stats.announces++;
      int interval = UdpResponseCodec.interval(r);
      int leechers = UdpResponseCodec.leechers(r);
      int seeders = UdpResponseCodec.seeders(r);
      stats.minInterval = Math.min(stats.minInterval, interval);
      stats.maxInterval = Math.max(stats.maxInterval, interval);
      stats.peersReturned += peers;
      if (interval <= 0 || leechers < 0 || seeders < 0) {
        stats.invalid("interval " + interval + ", leechers " + leechers + ", seeders " + seeders);
      } else if (peers > numWant[slot] && numWant[slot] >= 0) {
        stats.invalid(peers + " peers for numwant " + numWant[slot]);
      } else {
        int self = peer[slot];
        int port = scenario.port(self);
        for (int i = 0; i < peers; i++) {
          if (UdpResponseCodec.ipv4PeerAddress(r, i) == addressBits
              && UdpResponseCodec.ipv4PeerPort(r, i) == port) {
            stats.invalid(
                "the requester "
                    + address.getHostAddress()
                    + ":"
                    + port
                    + " is in its own peer list");
            break;
          }
        }
      }
      if (options.closedLoop()) {
        long dueMs =
            (now - startNanos) / 1_000_000 + (long) (interval * 1000L * options.intervalScale());
        push(dueMs << 20 | (peer[slot] / scenario.sources));
      }
    }

    private void validateScrape(ByteBuf r, int len, int action, int slot) {
      if (action != UdpCodec.ACTION_SCRAPE || UdpResponseCodec.scrapeEntries(r) != numWant[slot]) {
        stats.invalid(
            "scrape of "
                + numWant[slot]
                + " hashes answered with action "
                + action
                + ", "
                + len
                + " bytes");
        return;
      }
      stats.scrapes++;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (options.rate() > 0) {
        pace();
      } else {
        fill(System.nanoTime());
        ctx.flush();
      }
    }

    private void push(long v) {
      int i = heapSize++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heap[parent] <= v) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = v;
    }

    private long pop() {
      long top = heap[0];
      long last = heap[--heapSize];
      int i = 0;
      while (true) {
        int c = 2 * i + 1;
        if (c >= heapSize) {
          break;
        }
        if (c + 1 < heapSize && heap[c + 1] < heap[c]) {
          c++;
        }
        if (heap[c] >= last) {
          break;
        }
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
      return top;
    }
  }

  static List<String> describe(Options o, Scenario s) {
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            "load: %s, window %d over %d source addresses from %s, %s, warmup %.0f s, measure %.0f s",
            o.trackers().stream()
                .map(t -> t.getAddress().getHostAddress() + ":" + t.getPort())
                .collect(java.util.stream.Collectors.joining(", ")),
            o.window(),
            s.sources,
            o.sourceBase(),
            o.closedLoop()
                ? "closed loop (clients obey the interval x " + o.intervalScale() + ")"
                : o.rate() > 0
                    ? String.format("fixed rate %,.0f requests/s", o.rate())
                    : "as fast as answered",
            o.warmupSeconds(),
            o.durationSeconds()));
    out.add(
        String.format(
            "population: %,d swarms (Zipf), %,d peers, %.0f%% start as seeders, numwant %d..%d,"
                + " scrape share %.1f%% (1..%d hashes)",
            s.swarms,
            s.peers,
            s.seederFraction * 100,
            s.numWantMin,
            s.numWantMax,
            s.scrapeShare * 100,
            s.maxScrapeHashes));
    return out;
  }
}
