package io.swarmkeeper.redis;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.LargestSwarms;
import io.swarmkeeper.swarm.PeerCensus;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmStore;
import io.swarmkeeper.swarm.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swarms kept in Redis, shared by every node that points at the same Redis (see {@link SwarmKeys}
 * for the layout). An announce is one server-side script ({@code announce.lua}, by EVALSHA): it
 * drops the torrent's peers past the timeout, applies the event, keeps the completion mark and
 * count, and answers the counts and a random sample. Idle torrents vanish with their keys' TTL, so
 * nothing sweeps.
 *
 * <p>Each event loop has its own connection; the announces and scrapes of one event-loop task (a
 * read batch of datagrams) are sent together as one pipelined write when the task ends, and
 * answered on that event loop.
 *
 * <p>When Redis is away, slow or refuses, every request still gets an answer: an announce the
 * counts and peers it can give (none), a scrape zeros. Those are counted, {@link #trouble()} says
 * why, and the connection is made again on the next request (at most once a second per event loop),
 * so service comes back by itself with Redis.
 */
public final class RedisSwarmStore implements SwarmStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSwarmStore.class);
  private static final byte[] NO_PEERS = new byte[0];

  /**
   * Keys outlive their torrent's last announce by the peer timeout and this, then Redis drops them.
   */
  static final int TTL_SLACK_SECONDS = 60;

  private static final long RECONNECT_PAUSE_NANOS = 1_000_000_000L;
  private static final long CONNECT_GIVE_UP_MILLIS = 5_000;
  private static final long TROUBLE_LAPSE_NANOS = 5_000_000_000L;

  private final Vertx vertx;
  private final Redis client;
  private final RedisStoreOptions options;
  private final Ticker ticker;
  private final String prefix;
  private final boolean cluster;
  private final ContextInternal home;

  /** One per event loop (an HTTP request's duplicated context shares its loop's lane). */
  private final Map<io.netty.channel.EventLoop, Lane> lanes = new ConcurrentHashMap<>();

  private final Census censusTask;
  private volatile int peerTimeoutSeconds;
  private volatile boolean closed;

  /** Whether the store said Redis was away (and has not yet said it is back). */
  private boolean saidAway;

  private final LongAdder failures = new LongAdder();
  private final LongAdder degradedAnswers = new LongAdder();

  /**
   * A store on the Redis {@code options} names. Connections are made on first use, so a node starts
   * (degraded) while Redis is away.
   *
   * @param ticker the clock of peers' last-seen times: every node on one Redis must share it (the
   *     wall clock)
   */
  public RedisSwarmStore(
      Vertx vertx, RedisStoreOptions options, Ticker ticker, int peerTimeoutSeconds) {
    this.vertx = vertx;
    this.options = new RedisStoreOptions(options);
    this.ticker = ticker;
    this.prefix = options.getKeyPrefix();
    this.cluster = options.getTopology() == RedisStoreOptions.Topology.CLUSTER;
    setPeerTimeoutSeconds(peerTimeoutSeconds);
    this.client = Redis.createClient(vertx, clientOptions(options));
    this.home = (ContextInternal) vertx.getOrCreateContext();
    this.censusTask = new Census(vertx, client, this);
  }

  private static RedisOptions clientOptions(RedisStoreOptions o) {
    RedisOptions r =
        new RedisOptions()
            .setEndpoints(new ArrayList<>(o.getUrls()))
            .setMaxWaitingHandlers(o.getMaxInFlight() * 2)
            .setMaxPoolSize(256) // a connection per event loop is kept; made only when used
            .setMaxPoolWaiting(1024)
            .setPoolName("swarmkeeper-redis")
            .setNetClientOptions(
                new NetClientOptions()
                    .setTcpNoDelay(true)
                    .setTcpKeepAlive(true)
                    .setConnectTimeout(connectTimeoutMillis(o)));
    switch (o.getTopology()) {
      case STANDALONE -> r.setType(RedisClientType.STANDALONE);
      case CLUSTER -> r.setType(RedisClientType.CLUSTER);
      case SENTINEL ->
          r.setType(RedisClientType.SENTINEL)
              .setMasterName(o.getMasterName())
              .setRole(RedisRole.MASTER);
    }
    return r;
  }

  private static int connectTimeoutMillis(RedisStoreOptions o) {
    return Math.max(1000, o.getTimeoutMillis());
  }

  /** Peers silent longer than this are neither counted nor handed out. */
  public void setPeerTimeoutSeconds(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("peer timeout must be >= 1 s, got " + seconds);
    }
    this.peerTimeoutSeconds = seconds;
  }

  public int peerTimeoutSeconds() {
    return peerTimeoutSeconds;
  }

  String prefix() {
    return prefix;
  }

  Redis client() {
    return client;
  }

  boolean isCluster() {
    return cluster;
  }

  long nowSeconds() {
    return Math.floorDiv(ticker.nanos(), 1_000_000_000L);
  }

  /** The options this store was made with. */
  public RedisStoreOptions options() {
    return new RedisStoreOptions(options);
  }

  // ---------------------------------------------------------------- requests

  @Override
  public Future<AnnounceResult> announce(AnnounceRequest request) {
    byte[][] keys = SwarmKeys.of(prefix, request.infoHash());
    boolean ipv6 = request.peer().ipv6();
    Request r =
        Request.cmd(Command.EVALSHA)
            .arg(Scripts.ANNOUNCE.sha)
            .arg(5)
            .arg(keys[ipv6 ? 2 : 0])
            .arg(keys[ipv6 ? 3 : 1])
            .arg(keys[ipv6 ? 0 : 2])
            .arg(keys[ipv6 ? 1 : 3])
            .arg(keys[4])
            .arg(request.peer().compact())
            .arg(nowSeconds())
            .arg(peerTimeoutSeconds)
            .arg(eventCode(request.event()))
            .arg(request.seeder() ? 1 : 0)
            .arg(request.numWant())
            .arg(peerTimeoutSeconds + TTL_SLACK_SECONDS)
            .arg(ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
    return submit(new Request[] {r}, (lane, promise) -> new AnnounceAnswer(promise, ipv6));
  }

  private static int eventCode(AnnounceEvent event) {
    return switch (event) {
      case NONE -> 0;
      case COMPLETED -> 1;
      case STARTED -> 2;
      case STOPPED -> 3;
    };
  }

  @Override
  public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes) {
    if (infoHashes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    long now = nowSeconds();
    Request[] requests = new Request[infoHashes.size()];
    for (int i = 0; i < requests.length; i++) {
      byte[][] keys = SwarmKeys.of(prefix, infoHashes.get(i));
      Request r = Request.cmd(Command.EVALSHA).arg(Scripts.SCRAPE.sha).arg(5);
      for (byte[] key : keys) {
        r.arg(key);
      }
      requests[i] = r.arg(now).arg(peerTimeoutSeconds);
    }
    return submit(requests, (lane, promise) -> new ScrapeAnswer(promise, requests.length));
  }

  /** What turns the responses to a request's commands into its answer. */
  private interface Answer<T> {
    /** One response per command, in order. */
    void answer(List<Response> responses, int from);

    /** Redis could not answer: the degraded answer. */
    void degraded();
  }

  private interface AnswerFactory<T> {
    Answer<T> make(Lane lane, Promise<T> promise);
  }

  private <T> Future<T> submit(Request[] requests, AnswerFactory<T> answers) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the redis store is closed"));
    }
    io.vertx.core.Context current = Vertx.currentContext();
    if (current instanceof ContextInternal ctx
        && ctx.isEventLoopContext()
        && ctx.owner() == vertx) {
      Lane lane = lanes.computeIfAbsent(ctx.nettyEventLoop(), loop -> new Lane(ctx.unwrap()));
      Promise<T> promise = ctx.promise();
      lane.add(requests, answers.make(lane, promise));
      return promise.future();
    }
    // Not on one of this Vert.x's event loops (a test, a tool): through the store's own.
    Promise<T> promise = home.promise();
    home.runOnContext(
        v -> {
          Lane lane = lanes.computeIfAbsent(home.nettyEventLoop(), loop -> new Lane(home.unwrap()));
          lane.add(requests, answers.make(lane, promise));
        });
    return promise.future();
  }

  private final class AnnounceAnswer implements Answer<AnnounceResult> {
    private final Promise<AnnounceResult> promise;
    private final boolean ipv6;

    AnnounceAnswer(Promise<AnnounceResult> promise, boolean ipv6) {
      this.promise = promise;
      this.ipv6 = ipv6;
    }

    @Override
    public void answer(List<Response> responses, int from) {
      Response r = responses.get(from);
      byte[] peers = r.get(3).toBytes();
      promise.tryComplete(
          new AnnounceResult(
              r.get(0).toInteger(),
              r.get(1).toInteger(),
              ipv6,
              peers == null ? NO_PEERS : peers,
              r.get(2).toInteger() == 1));
    }

    @Override
    public void degraded() {
      degradedAnswers.increment();
      promise.tryComplete(new AnnounceResult(0, 0, ipv6, NO_PEERS));
    }
  }

  private final class ScrapeAnswer implements Answer<List<ScrapeStats>> {
    private final Promise<List<ScrapeStats>> promise;
    private final int count;

    ScrapeAnswer(Promise<List<ScrapeStats>> promise, int count) {
      this.promise = promise;
      this.count = count;
    }

    @Override
    public void answer(List<Response> responses, int from) {
      List<ScrapeStats> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        Response r = responses.get(from + i);
        out.add(new ScrapeStats(r.get(0).toInteger(), r.get(1).toInteger(), r.get(2).toInteger()));
      }
      promise.tryComplete(out);
    }

    @Override
    public void degraded() {
      degradedAnswers.increment();
      List<ScrapeStats> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(ScrapeStats.EMPTY);
      }
      promise.tryComplete(out);
    }
  }

  /**
   * One event loop's connection and the requests of its current task, sent together when the task
   * ends. Touched only on that event loop.
   */
  private final class Lane {
    final ContextInternal context;
    RedisConnection connection;
    boolean connecting;
    long lastAttempt = System.nanoTime() - 2 * RECONNECT_PAUSE_NANOS;
    List<Exchange> parked = new ArrayList<>();
    int inFlight;

    /** Why this event loop's last exchange with Redis failed; null once one succeeds. */
    volatile String trouble;

    /** When {@link #trouble} was last set (System.nanoTime()). */
    volatile long troubleAt;

    /** Whether this event loop has a connection now. */
    volatile boolean connected;

    long reconnectTimer = -1;
    long attempts;
    List<Request> pending = new ArrayList<>();
    List<Answer<?>> answers = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    final io.vertx.core.Handler<Void> flushTask = v -> flush();

    Lane(ContextInternal context) {
      this.context = context;
    }

    void add(Request[] requests, Answer<?> answer) {
      boolean first = pending.isEmpty();
      for (Request r : requests) {
        pending.add(r);
      }
      answers.add(answer);
      sizes.add(requests.length);
      if (first) {
        context.runOnContext(flushTask); // runs when the current task (read batch) ends
      }
    }

    void flush() {
      if (pending.isEmpty()) {
        return;
      }
      Exchange x = new Exchange(this, pending, answers, sizes);
      pending = new ArrayList<>();
      answers = new ArrayList<>();
      sizes = new ArrayList<>();
      if (inFlight + x.requests.size() > options.getMaxInFlight()) {
        x.degrade(
            "more than redis.max-in-flight (" + options.getMaxInFlight() + ") requests waiting",
            true);
        return;
      }
      RedisConnection c = connection;
      if (c != null) {
        x.start(c);
        return;
      }
      connect();
      if (connecting) {
        // Sent once the connection is up; a first connection may take its connect timeout.
        x.armTimer(null, connectTimeoutMillis(options) + options.getTimeoutMillis());
        parked.add(x);
      } else {
        String why = trouble;
        x.degrade(why == null ? "not connected to redis" : why, false);
        scheduleConnect();
      }
    }

    void connect() {
      long now = System.nanoTime();
      if (connecting || closed) {
        return;
      }
      if (now - lastAttempt < RECONNECT_PAUSE_NANOS) {
        scheduleConnect();
        return;
      }
      connecting = true;
      lastAttempt = now;
      long attempt = ++attempts;
      // A connect that neither succeeds nor fails (a reset in the handshake) is given up on.
      long guard =
          vertx.setTimer(
              CONNECT_GIVE_UP_MILLIS,
              id ->
                  onLane(
                      () -> {
                        if (connecting && attempts == attempt) {
                          attempts++;
                          connecting = false;
                          failed(this, "no connection in " + CONNECT_GIVE_UP_MILLIS + " ms");
                          List<Exchange> waiting = parked;
                          parked = new ArrayList<>();
                          for (Exchange x : waiting) {
                            x.endParked("no connection");
                          }
                          scheduleConnect();
                        }
                      }));
      client
          .connect()
          .compose(
              c ->
                  loadScripts(c)
                      .timeout(CONNECT_GIVE_UP_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)
                      .map(c)
                      .onFailure(e -> discard(c)))
          .onComplete(
              ar ->
                  onLane(
                      () -> {
                        vertx.cancelTimer(guard);
                        if (attempts != attempt) {
                          if (ar.succeeded()) {
                            ar.result().close(); // given up on already
                          }
                          return;
                        }
                        connecting = false;
                        List<Exchange> waiting = parked;
                        parked = new ArrayList<>();
                        if (ar.failed() || closed) {
                          if (ar.succeeded()) {
                            ar.result().close();
                          }
                          String why =
                              closed ? "the store closed" : "cannot connect: " + text(ar.cause());
                          failed(this, why);
                          scheduleConnect();
                          for (Exchange x : waiting) {
                            x.endParked(why);
                          }
                          return;
                        }
                        RedisConnection c = ar.result();
                        c.exceptionHandler(e -> onLane(() -> lost(c, text(e))));
                        c.endHandler(v -> onLane(() -> lost(c, "connection closed")));
                        connection = c;
                        connected = true;
                        recovered(this);
                        for (Exchange x : waiting) {
                          if (!x.over) {
                            x.send(c, false);
                          }
                        }
                      }));
    }

    void lost(RedisConnection c, String why) {
      if (connection == c) {
        connection = null;
        connected = false;
        failed(this, why);
        discard(c);
        scheduleConnect();
      }
    }

    /**
     * Tries again in a moment, traffic or not, so every event loop is whole soon after Redis is.
     */
    void scheduleConnect() {
      if (reconnectTimer >= 0 || closed) {
        return;
      }
      reconnectTimer =
          vertx.setTimer(
              RECONNECT_PAUSE_NANOS / 1_000_000,
              id ->
                  onLane(
                      () -> {
                        reconnectTimer = -1;
                        if (connection == null && !connecting) {
                          connect();
                        }
                      }));
    }

    void onLane(Runnable r) {
      if (context.isRunningOnContext()) {
        r.run();
      } else {
        context.runOnContext(v -> r.run());
      }
    }
  }

  /** One pipelined write of a lane's requests, its answers, its deadline. */
  private final class Exchange {
    final Lane lane;
    final List<Request> requests;
    final List<Answer<?>> answers;
    final List<Integer> sizes;
    boolean over;
    long timer = -1;

    Exchange(Lane lane, List<Request> requests, List<Answer<?>> answers, List<Integer> sizes) {
      this.lane = lane;
      this.requests = requests;
      this.answers = answers;
      this.sizes = sizes;
    }

    void start(RedisConnection c) {
      armTimer(c, options.getTimeoutMillis());
      send(c, false);
    }

    /** Counts the requests in flight and gives them the deadline (c: the connection, if any). */
    void armTimer(RedisConnection c, long millis) {
      lane.inFlight += requests.size();
      timer =
          vertx.setTimer(
              millis,
              id ->
                  lane.onLane(
                      () -> {
                        if (!over) {
                          end(
                              null,
                              new TimeoutException(
                                  "no answer from redis in " + options.getTimeoutMillis() + " ms"));
                          if (c != null) {
                            // So late: the connection is stuck, or Redis is; start again.
                            lane.lost(c, "no answer in " + options.getTimeoutMillis() + " ms");
                          }
                        }
                      }));
    }

    /** A parked exchange whose connection could not be made. */
    void endParked(String why) {
      if (!over) {
        over = true;
        vertx.cancelTimer(timer);
        lane.inFlight -= requests.size();
        for (Answer<?> a : answers) {
          a.degraded();
        }
      }
    }

    void send(RedisConnection c, boolean retried) {
      sendAll(c, requests)
          .onComplete(
              ar ->
                  lane.onLane(
                      () -> {
                        if (over) {
                          return;
                        }
                        if (ar.failed() && !retried && text(ar.cause()).contains("NOSCRIPT")) {
                          // Redis restarted or its scripts were flushed; an announce is safe to
                          // apply twice (the same peer, the same state, a completion counted once).
                          loadScripts(c).onComplete(l -> lane.onLane(() -> send(c, true)));
                          return;
                        }
                        end(ar.succeeded() ? ar.result() : null, ar.cause());
                        if (ar.failed() && connectionUnusable(ar.cause())) {
                          // Not Redis refusing a command: the connection itself failed.
                          lane.lost(c, text(ar.cause()));
                        }
                      }));
    }

    void end(List<Response> responses, Throwable failure) {
      over = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      lane.inFlight -= requests.size();
      if (failure != null) {
        degrade(text(failure), true);
        return;
      }
      recovered(lane);
      int from = 0;
      for (int i = 0; i < answers.size(); i++) {
        Answer<?> a = answers.get(i);
        try {
          a.answer(responses, from);
        } catch (RuntimeException e) {
          failed(lane, "an unreadable answer: " + text(e));
          a.degraded();
        }
        from += sizes.get(i);
      }
    }

    void degrade(String why, boolean count) {
      over = true;
      if (count) {
        failed(lane, why);
      }
      for (Answer<?> a : answers) {
        a.degraded();
      }
    }
  }

  private Future<List<Response>> sendAll(RedisConnection c, List<Request> requests) {
    if (!cluster) {
      return c.batch(requests);
    }
    // A cluster connection sends each command to its slot's node; one batch would have to be one
    // slot. Every command is written at once all the same (pipelined per node).
    List<Future<Response>> each = new ArrayList<>(requests.size());
    for (Request r : requests) {
      each.add(c.send(r));
    }
    return Future.all(each).map(all -> all.list());
  }

  /** Makes sure the scripts are in Redis's script cache (on every primary of a cluster). */
  Future<Void> loadScripts(RedisConnection c) {
    return loadScripts(c, cluster);
  }

  /** The same; {@code clustered}: through a cluster connection, else on that one server. */
  static Future<Void> loadScripts(RedisConnection c, boolean clustered) {
    List<Future<?>> loads = new ArrayList<>();
    for (Scripts s : Scripts.values()) {
      Request load = Request.cmd(Command.SCRIPT).arg("LOAD").arg(s.source);
      loads.add(
          clustered
              ? io.vertx.redis.client.RedisCluster.create(c).onAllMasterNodes(load)
              : c.send(load));
    }
    return Future.all(loads).mapEmpty();
  }

  private void failed(Lane lane, String why) {
    failures.increment();
    lane.troubleAt = System.nanoTime();
    lane.trouble = why;
    synchronized (this) {
      if (!saidAway) {
        saidAway = true;
        LOG.warn("redis unavailable ({}); answering without it until it is back", why);
      }
    }
  }

  private void recovered(Lane lane) {
    if (lane.trouble == null) {
      return;
    }
    lane.trouble = null;
    synchronized (this) {
      if (saidAway && trouble() == null) {
        saidAway = false;
        LOG.info("redis is back; answers are whole again");
      }
    }
  }

  /**
   * Whether a failure means this connection cannot serve again: not a Redis reply at all (the
   * socket failed), or a reply saying the server is the wrong one or not ready (a replica after a
   * failover, a server loading its data, a master the Sentinels lost); a new connection finds the
   * right server.
   */
  private static boolean connectionUnusable(Throwable e) {
    if (!(e instanceof Response)) {
      return true;
    }
    String m = text(e);
    return m.contains("CONNECTION_CLOSED")
        || m.contains("READONLY")
        || m.contains("LOADING")
        || m.contains("MASTERDOWN")
        || m.contains("NOSCRIPT");
  }

  /**
   * Closes the socket of a connection given up on: closing a pooled connection would hand it, with
   * its unanswered requests, back to the pool.
   */
  private static void discard(RedisConnection c) {
    if (c instanceof io.vertx.redis.client.impl.PooledRedisConnection pooled) {
      pooled.actual().forceClose();
    } else {
      c.close();
    }
  }

  private static String text(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  // ---------------------------------------------------------------- health

  /** Why Redis is not answering, or null when the last exchange with it succeeded. */
  public String trouble() {
    long now = System.nanoTime();
    for (Lane lane : lanes.values()) {
      String why = lane.trouble;
      // A loop without a connection is in trouble until it has one; one that failed an exchange
      // but kept its connection, until a success or TROUBLE_LAPSE_NANOS without another failure
      // (a loop that gets no more traffic must not keep the node degraded).
      if (why != null && (!lane.connected || now - lane.troubleAt < TROUBLE_LAPSE_NANOS)) {
        return why;
      }
    }
    return null;
  }

  /** Whether answers are being given without Redis. */
  public boolean degraded() {
    return trouble() != null;
  }

  /** Exchanges with Redis that failed: refused, timed out, no connection. */
  public long failures() {
    return failures.sum();
  }

  /** Announces and scrapes answered without Redis (no peers, zero counts). */
  public long degradedAnswers() {
    return degradedAnswers.sum();
  }

  // ---------------------------------------------------------------- census

  /**
   * Counts swarms and peers over the whole Redis now (a scan), and publishes the figures for every
   * node; what {@link #swarmCount()}, {@link #peerCount()} and {@link #census()} read after it.
   */
  public Future<Void> censusNow() {
    return censusTask.runNow();
  }

  /** Starts the periodic census (one node on the Redis counts each period; all read it). */
  public void startCensus() {
    censusTask.start(options.getCensusSeconds());
  }

  @Override
  public long swarmCount() {
    return censusTask.swarms();
  }

  @Override
  public long peerCount() {
    PeerCensus c = censusTask.census();
    return c == null ? 0 : c.ipv4Peers() + c.ipv6Peers();
  }

  @Override
  public PeerCensus census() {
    return censusTask.census();
  }

  /** The largest swarms of the last census, as its node published them. */
  @Override
  public List<LargestSwarms.Entry> largestSwarms() {
    return censusTask.largest();
  }

  // ---------------------------------------------------------------- lifecycle

  /** Closes the connections; requests after this fail. */
  @Override
  public void close() {
    closed = true;
    censusTask.stop();
    for (Lane lane : lanes.values()) {
      lane.onLane(
          () -> {
            if (lane.reconnectTimer >= 0) {
              vertx.cancelTimer(lane.reconnectTimer);
            }
            if (lane.connection != null) {
              lane.connection.close();
              lane.connection = null;
            }
          });
    }
    client.close();
  }
}
