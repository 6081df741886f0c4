package io.swarmkeeper.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.query.Predicates;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.LargestSwarms;
import io.swarmkeeper.swarm.PeerCensus;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.StoreBusyException;
import io.swarmkeeper.swarm.Swarm;
import io.swarmkeeper.swarm.SwarmLimits;
import io.swarmkeeper.swarm.SwarmStore;
import io.swarmkeeper.swarm.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swarms sharded by info_hash over the fleet's Hazelcast partitions, each mutated only on the
 * member that owns it, by entry processors.
 *
 * <p>The announces a thread makes during one event-loop task (a read batch) are held and sent
 * together when the task ends: one {@code submitToKeys} per batch, which Hazelcast splits into one
 * operation per owning member. Answers come back on the caller's Vert.x context, all of a batch in
 * one task. Requests waiting on the fleet are bounded ({@link ClusterOptions#getMaxOutstanding()})
 * and time out ({@link ClusterOptions#getTimeoutMillis()}): past either they fail, and the tracker
 * counts and drops them.
 *
 * <p>The store looks after its own data where it lives: a maintenance thread sweeps the partitions
 * this member owns, one at a time, and publishes what it owns, so that {@link #swarmCount()} and
 * {@link #peerCount()} read a sum of a few numbers instead of walking the cluster.
 */
public final class HazelcastSwarmStore implements SwarmStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastSwarmStore.class);

  private static final StoreBusyException OVERLOADED =
      new StoreBusyException("too many requests waiting on the fleet");
  private static final StoreBusyException TIMED_OUT =
      new StoreBusyException("the fleet did not answer in time");

  /** How often the maintenance thread wakes: a sweep step, the counts, the safety check. */
  static final long TICK_MILLIS = 1000;

  /** A full sweep pass over the partitions this member owns takes about this many ticks. */
  static final int SWEEP_PASS_TICKS = 10;

  /** Safety checks under way at once, most of them left behind waiting on Hazelcast. */
  static final int SAFETY_LOOKS = 4;

  private final FleetMember member;
  private final IMap<InfoHash, Swarm> swarms;
  private final IMap<UUID, MemberStats> members;
  private final PartitionService partitions;
  private final Ticker ticker;
  private final int peerTimeoutSeconds;
  private final int timeoutMillis;
  private final int maxOutstanding;

  private volatile SwarmLimits limits = SwarmLimits.DEFAULT;
  private volatile java.util.function.LongConsumer callObserver = nanos -> {};

  private final ThreadLocal<Batch> batches = ThreadLocal.withInitial(Batch::new);
  private final AtomicInteger outstanding = new AtomicInteger();
  private final ConcurrentLinkedQueue<Flight> inFlight = new ConcurrentLinkedQueue<>();
  private final LongAdder requests = new LongAdder();
  private final LongAdder overloaded = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder remoteCalls = new LongAdder();

  private final ScheduledExecutorService maintenance;
  private final Object sweepLock = new Object();
  private int sweepCursor;
  private long passSwarms;
  private PeerCensus passCensus = PeerCensus.EMPTY;
  private volatile long fleetSwarms;
  private volatile long fleetPeers;
  private volatile PeerCensus fleetCensus;
  private LargestSwarms passLargest = new LargestSwarms(LargestSwarms.SIZE);
  private volatile List<LargestSwarms.Entry> fleetLargest = List.of();
  private volatile List<MemberStats> fleet = List.of();
  private final ThreadPoolExecutor safetyLooks;
  private final SafetyCheck safety;
  private volatile boolean everSafe; // once true, stays true
  private volatile boolean closed;

  /**
   * @param ticker read as wall-clock nanoseconds ({@link Ticker#wallClock()}): stored times are
   *     seconds since the epoch, which every member agrees on
   * @param peerTimeoutSeconds how long a peer stays without announcing
   */
  public HazelcastSwarmStore(FleetMember member, Ticker ticker, int peerTimeoutSeconds) {
    this(member, ticker, peerTimeoutSeconds, "");
  }

  /** A store on maps of their own ({@code suffix} after the standard names), for tests. */
  HazelcastSwarmStore(FleetMember member, Ticker ticker, int peerTimeoutSeconds, String suffix) {
    this(member, ticker, peerTimeoutSeconds, suffix, member.options().getMaxOutstanding());
  }

  HazelcastSwarmStore(
      FleetMember member,
      Ticker ticker,
      int peerTimeoutSeconds,
      String suffix,
      int maxOutstanding) {
    this.member = Objects.requireNonNull(member, "member");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    if (peerTimeoutSeconds <= 0 || peerTimeoutSeconds > 16_384) {
      throw new IllegalArgumentException(
          "peerTimeoutSeconds must be 1..16384, got " + peerTimeoutSeconds);
    }
    this.peerTimeoutSeconds = peerTimeoutSeconds;
    ClusterOptions options = member.options();
    this.timeoutMillis = options.getTimeoutMillis();
    this.maxOutstanding = maxOutstanding;
    this.swarms = member.hazelcast().getMap(FleetMember.SWARMS + suffix);
    this.members = member.hazelcast().getMap(FleetMember.MEMBERS + suffix);
    this.partitions = member.hazelcast().getPartitionService();
    this.maintenance =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "swarmkeeper-fleet-maintenance");
              t.setDaemon(true);
              return t;
            });
    // A few threads: a look Hazelcast holds for minutes is left behind while another starts.
    this.safetyLooks =
        new ThreadPoolExecutor(
            0,
            SAFETY_LOOKS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "swarmkeeper-fleet-safety");
              t.setDaemon(true);
              return t;
            });
    // A fleet that cannot say within a request's timeout whether it is safe is not known to be.
    this.safety =
        new SafetyCheck(member::isClusterSafe, timeoutMillis, Ticker.system(), safetyLooks);
    maintenance.scheduleWithFixedDelay(
        this::maintain, TICK_MILLIS / 2, TICK_MILLIS, TimeUnit.MILLISECONDS);
    maintenance.scheduleWithFixedDelay(this::expireLate, 100, 100, TimeUnit.MILLISECONDS);
  }

  /** Seconds on the fleet's clock, as stored swarms count them. */
  static int seconds(Ticker ticker) {
    return (int) (ticker.nanos() / 1_000_000_000L);
  }

  /**
   * Sets the caps a fleet can keep; may be called at any time (a reload). Peers per swarm is
   * checked exactly on the swarm's owner. Swarms and peers are capped for the whole fleet, against
   * the counts the members published last (so the fleet may pass a cap by what it gains in one
   * sweep pass, about {@value #SWEEP_PASS_TICKS} s). The per-address caps count one process's state
   * and are not applied in a fleet (see docs/ARCHITECTURE.md).
   */
  public void setLimits(SwarmLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public SwarmLimits limits() {
    return limits;
  }

  @Override
  public Future<AnnounceResult> announce(AnnounceRequest request) {
    if (!admit(1)) {
      return Future.failedFuture(OVERLOADED);
    }
    ContextInternal context = (ContextInternal) Vertx.currentContext();
    if (context == null) {
      // Not on a Vert.x thread (a test, a tool): a batch of one, answered on Hazelcast's thread.
      Promise<AnnounceResult> promise = Promise.promise();
      Batch single = new Batch();
      single.add(request, promise, null);
      single.flush();
      return promise.future();
    }
    Batch batch = batches.get();
    if (batch.context != context && batch.size > 0) {
      batch.flush(); // another context on this thread: its batch goes first
    }
    Promise<AnnounceResult> promise = context.promise();
    if (batch.add(request, promise, context)) {
      context.runOnContext(batch.flushTask); // runs when the current task (read batch) ends
    }
    return promise.future();
  }

  @Override
  public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes) {
    if (infoHashes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    if (!admit(1)) {
      return Future.failedFuture(OVERLOADED);
    }
    ContextInternal context = (ContextInternal) Vertx.currentContext();
    Promise<List<ScrapeStats>> promise = context == null ? Promise.promise() : context.promise();
    // A read-only processor, one call for all the hashes: Hazelcast sends one operation per owner.
    track(
        swarms.submitToKeys(
            new HashSet<>(infoHashes), new ScrapeProcessor(now(), peerTimeoutSeconds)),
        1,
        context,
        "scrape",
        promise::tryFail,
        found -> {
          List<ScrapeStats> out = new ArrayList<>(infoHashes.size());
          for (InfoHash h : infoHashes) {
            ScrapeStats s = found.get(h);
            out.add(s == null ? ScrapeStats.EMPTY : s);
          }
          promise.tryComplete(out);
        });
    return promise.future();
  }

  private boolean admit(int n) {
    requests.add(n);
    if (closed || outstanding.addAndGet(n) > maxOutstanding) {
      outstanding.addAndGet(-n);
      overloaded.add(n);
      return false;
    }
    return true;
  }

  private int now() {
    return seconds(ticker);
  }

  private static Executor executorOf(ContextInternal context) {
    return context == null ? Runnable::run : context::execute;
  }

  /**
   * The announces one thread collected during the current event-loop task, sent as one call when
   * the task ends.
   */
  private final class Batch {
    private AnnounceRequest[] pending = new AnnounceRequest[64];

    @SuppressWarnings("unchecked")
    private Promise<AnnounceResult>[] promises = new Promise[64];

    int size;
    ContextInternal context;
    final io.vertx.core.Handler<Void> flushTask = v -> flush();

    /** Adds a request; true when it is the first (the caller schedules the flush). */
    boolean add(AnnounceRequest request, Promise<AnnounceResult> promise, ContextInternal ctx) {
      if (size == pending.length) {
        pending = java.util.Arrays.copyOf(pending, size * 2);
        promises = java.util.Arrays.copyOf(promises, size * 2);
      }
      context = ctx;
      pending[size] = request;
      promises[size] = promise;
      return size++ == 0;
    }

    void flush() {
      if (size == 0) {
        return;
      }
      AnnounceRequest[] sent = java.util.Arrays.copyOf(pending, size);
      Promise<AnnounceResult>[] waiting = java.util.Arrays.copyOf(promises, size);
      java.util.Arrays.fill(pending, 0, size, null);
      java.util.Arrays.fill(promises, 0, size, null);
      size = 0;
      submit(sent, waiting, context);
    }
  }

  private void submit(
      AnnounceRequest[] sent, Promise<AnnounceResult>[] waiting, ContextInternal context) {
    Set<InfoHash> keys = new LinkedHashSet<>(sent.length * 2);
    for (AnnounceRequest r : sent) {
      keys.add(r.infoHash());
    }
    track(
        swarms.submitToKeys(keys, processorFor(sent)),
        sent.length,
        context,
        "announce",
        cause -> {
          for (Promise<AnnounceResult> p : waiting) {
            p.tryFail(cause);
          }
        },
        replies -> answer(sent, waiting, replies));
  }

  /**
   * Waits for one remote call made for {@code requests} requests: within the deadline, its answer
   * goes to {@code answered} on the caller's context; past it, or when the call fails, {@code fail}
   * gets why (a timeout, or a {@link FleetUnavailableException}), once, and it is counted.
   */
  private <T> void track(
      CompletionStage<T> call,
      int requests,
      ContextInternal context,
      String what,
      Consumer<Throwable> fail,
      Consumer<T> answered) {
    Flight flight = new Flight(requests, context, () -> fail.accept(TIMED_OUT));
    inFlight.add(flight);
    remoteCalls.increment();
    long sent = System.nanoTime();
    call.whenCompleteAsync(
        (value, e) -> {
          if (!flight.finish()) {
            return;
          }
          callObserver.accept(System.nanoTime() - sent);
          if (e != null) {
            failed.add(requests);
            fail.accept(new FleetUnavailableException(what + " failed: " + e, e));
            return;
          }
          answered.accept(value);
        },
        executorOf(context));
  }

  private AnnounceProcessor processorFor(AnnounceRequest[] sent) {
    SwarmLimits caps = limits;
    int swarmsFull = caps.maxSwarms() > 0 && fleetSwarms >= caps.maxSwarms() ? caps.maxSwarms() : 0;
    int peersFull = caps.maxPeers() > 0 && fleetPeers >= caps.maxPeers() ? caps.maxPeers() : 0;
    return new AnnounceProcessor(
        now(), peerTimeoutSeconds, caps.maxPeersPerSwarm(), swarmsFull, peersFull, sent);
  }

  /** Hands each request its reply: the n-th request of a swarm gets the n-th reply for it. */
  private static void answer(
      AnnounceRequest[] sent,
      Promise<AnnounceResult>[] waiting,
      Map<InfoHash, AnnounceReplies> replies) {
    Map<InfoHash, Integer> taken = sent.length > 1 ? new java.util.HashMap<>() : null;
    for (int i = 0; i < sent.length; i++) {
      InfoHash key = sent[i].infoHash();
      AnnounceReplies forKey = replies.get(key);
      int n = taken == null ? 0 : taken.merge(key, 1, Integer::sum) - 1;
      Object reply = forKey == null || n >= forKey.size() ? null : forKey.get(n);
      if (reply instanceof AnnounceResult result) {
        waiting[i].tryComplete(result);
      } else if (reply instanceof AnnounceRefusedException refused) {
        waiting[i].tryFail(refused);
      } else {
        waiting[i].tryFail(new FleetUnavailableException("no reply for " + key, null));
      }
    }
  }

  /** Requests sent together, waiting for their answer or their deadline. */
  private final class Flight {
    final int requests;
    final long deadline;
    final ContextInternal context;
    final AtomicBoolean done = new AtomicBoolean();
    final Runnable onTimeout;

    Flight(int requests, ContextInternal context, Runnable onTimeout) {
      this.requests = requests;
      this.context = context;
      this.onTimeout = onTimeout;
      this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** True for the first of answer and timeout; releases the requests' places. */
    boolean finish() {
      if (!done.compareAndSet(false, true)) {
        return false;
      }
      outstanding.addAndGet(-requests);
      return true;
    }
  }

  /** Fails the requests the fleet did not answer in time (the oldest wait at the queue's head). */
  private void expireLate() {
    long now = System.nanoTime();
    for (Flight f = inFlight.peek(); f != null; f = inFlight.peek()) {
      if (!f.done.get() && now - f.deadline < 0) {
        return;
      }
      inFlight.poll();
      if (f.finish()) {
        timedOut.add(f.requests);
        executorOf(f.context).execute(f.onTimeout);
      }
    }
  }

  /** A maintenance tick: sweep a share of the owned partitions, publish, refresh counts, safety. */
  private void maintain() {
    if (closed) {
      return;
    }
    if (!everSafe) {
      // Looks until the first time safe (a look answers a tick or more later); then ready holds.
      everSafe = safety.isSafe();
      safety.tick();
    }
    try {
      sweepStep();
      refreshFleet();
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.warn("fleet maintenance failed: {}", e.toString());
      }
    }
  }

  private void sweepStep() {
    synchronized (sweepLock) {
      List<Integer> owned = ownedPartitions();
      if (owned.isEmpty()) {
        publish(0, 0, PeerCensus.EMPTY, List.of());
        return;
      }
      int step = Math.max(1, (owned.size() + SWEEP_PASS_TICKS - 1) / SWEEP_PASS_TICKS);
      for (int i = 0; i < step; i++) {
        if (sweepCursor >= owned.size()) {
          publish(owned.size(), passSwarms, passCensus, passLargest.result());
          sweepCursor = 0;
          passSwarms = 0;
          passCensus = PeerCensus.EMPTY;
          passLargest = new LargestSwarms(LargestSwarms.SIZE);
        }
        Map<InfoHash, int[]> left = sweepPartition(owned.get(sweepCursor++));
        passSwarms += left.size();
        passCensus = passCensus.plus(censusOf(left));
        offerAll(passLargest, left);
      }
    }
  }

  /** Expires one partition on its owner; answers each swarm left with its counts. */
  private Map<InfoHash, int[]> sweepPartition(int partitionId) {
    return swarms.executeOnEntries(
        new ExpireProcessor(now(), peerTimeoutSeconds),
        Predicates.partitionPredicate(partitionKeyOf(partitionId), Predicates.alwaysTrue()));
  }

  /** Each swarm left by a sweep ({IPv4 peers, IPv6 peers, seeders}) offered to {@code into}. */
  private static void offerAll(LargestSwarms into, Map<InfoHash, int[]> left) {
    for (Map.Entry<InfoHash, int[]> e : left.entrySet()) {
      int[] c = e.getValue();
      into.offer(e.getKey(), c[2], c[0] + c[1] - c[2]);
    }
  }

  private static PeerCensus censusOf(Map<InfoHash, int[]> left) {
    long v4 = 0;
    long v6 = 0;
    long seeders = 0;
    for (int[] c : left.values()) {
      v4 += c[0];
      v6 += c[1];
      seeders += c[2];
    }
    return new PeerCensus(v4, v6, seeders);
  }

  private final Map<Integer, Object> partitionKeys = new java.util.concurrent.ConcurrentHashMap<>();

  /** A key that falls in the partition, to address it through the public API. */
  private Object partitionKeyOf(int partitionId) {
    return partitionKeys.computeIfAbsent(
        partitionId,
        id -> {
          for (int i = 0; ; i++) {
            String key = "p" + i;
            if (partitions.getPartition(key).getPartitionId() == id) {
              return key;
            }
          }
        });
  }

  private List<Integer> ownedPartitions() {
    List<Integer> owned = new ArrayList<>();
    for (Partition p : partitions.getPartitions()) {
      Member owner = p.getOwner();
      if (owner != null && owner.localMember()) {
        owned.add(p.getPartitionId());
      }
    }
    return owned;
  }

  private void publish(
      int ownedPartitions,
      long swarmsOwned,
      PeerCensus peersOwned,
      List<LargestSwarms.Entry> largest) {
    // Read each time: a member that merges after a network partition takes a new UUID, and the
    // entry under its old one is removed as a member that left.
    UUID self = member.hazelcast().getCluster().getLocalMember().getUuid();
    members.set(
        self,
        new MemberStats(
            member.address(),
            ownedPartitions,
            swarmsOwned,
            peersOwned,
            requests.sum(),
            System.currentTimeMillis(),
            largest));
  }

  private void refreshFleet() {
    Set<UUID> alive = new HashSet<>();
    for (Member m : member.hazelcast().getCluster().getMembers()) {
      alive.add(m.getUuid());
    }
    long s = 0;
    PeerCensus c = PeerCensus.EMPTY;
    List<MemberStats> seen = new ArrayList<>();
    LargestSwarms largest = new LargestSwarms(LargestSwarms.SIZE);
    for (Map.Entry<UUID, MemberStats> e : members.entrySet()) {
      if (!alive.contains(e.getKey())) {
        members.delete(e.getKey()); // a member that died or left
        continue;
      }
      s += e.getValue().swarms();
      c = c.plus(e.getValue().census());
      e.getValue().largest().forEach(largest::offer);
      seen.add(e.getValue());
    }
    fleetLargest = largest.result();
    fleetSwarms = s;
    fleetPeers = c.ipv4Peers() + c.ipv6Peers();
    fleetCensus = c;
    fleet = List.copyOf(seen);
  }

  /**
   * Sweeps every partition this member owns and publishes the result: what the maintenance thread
   * does over a pass, at once (tests). The fleet's counts are re-read by {@link
   * #refreshCountsNow()}.
   */
  public void sweepAndPublishNow() {
    synchronized (sweepLock) {
      List<Integer> owned = ownedPartitions();
      long s = 0;
      PeerCensus c = PeerCensus.EMPTY;
      LargestSwarms largest = new LargestSwarms(LargestSwarms.SIZE);
      for (int id : owned) {
        Map<InfoHash, int[]> left = sweepPartition(id);
        s += left.size();
        c = c.plus(censusOf(left));
        offerAll(largest, left);
      }
      publish(owned.size(), s, c, largest.result());
      sweepCursor = 0;
      passSwarms = 0;
      passCensus = PeerCensus.EMPTY;
      passLargest = new LargestSwarms(LargestSwarms.SIZE);
    }
  }

  /** Re-reads the members' published counts now (tests). */
  public void refreshCountsNow() {
    refreshFleet();
  }

  /** Swarms in the fleet as of the members' last sweep passes (IPv4 and IPv6 count once). */
  @Override
  public long swarmCount() {
    return fleetSwarms;
  }

  /** Peers in the fleet as of the members' last sweep passes. */
  @Override
  public long peerCount() {
    return fleetPeers;
  }

  /** The fleet's peers by family and state, as of the members' last sweep passes. */
  @Override
  public PeerCensus census() {
    return fleetCensus;
  }

  /** The fleet's largest swarms, from each member's largest of those it owns. */
  @Override
  public List<LargestSwarms.Entry> largestSwarms() {
    return fleetLargest;
  }

  /** Each member's last published share. */
  public List<MemberStats> members() {
    return fleet;
  }

  /**
   * Joined, and the cluster has been safe (no migration running, backups in sync) since: a member
   * that has taken its share. It stays ready through later migrations (another member joining or
   * leaving), which Hazelcast serves through; were every member unready while partitions move, a
   * load balancer would take the whole fleet out at each rolling restart.
   */
  public boolean isReady() {
    return !closed && everSafe;
  }

  public FleetMember member() {
    return member;
  }

  /** Requests refused because too many were waiting on the fleet. */
  public long overloaded() {
    return overloaded.sum();
  }

  /** Requests the fleet did not answer within the timeout. */
  public long timedOut() {
    return timedOut.sum();
  }

  /** Requests whose remote call failed. */
  public long failed() {
    return failed.sum();
  }

  /** Remote calls made (one per read batch of announces, one per scrape). */
  /** Partitions this member owns now. */
  public int ownedPartitionCount() {
    return ownedPartitions().size();
  }

  /** Told the nanoseconds each answered call to the fleet took (a latency meter). */
  public void onCallAnswered(java.util.function.LongConsumer observer) {
    this.callObserver = java.util.Objects.requireNonNull(observer, "observer");
  }

  public long remoteCalls() {
    return remoteCalls.sum();
  }

  /** Requests waiting on the fleet now. */
  public int outstanding() {
    return outstanding.get();
  }

  /**
   * Stops the maintenance; the member itself is left by its owner ({@link FleetMember#leave()}).
   */
  @Override
  public void close() {
    closed = true;
    maintenance.shutdownNow();
    safetyLooks.shutdownNow();
  }
}
