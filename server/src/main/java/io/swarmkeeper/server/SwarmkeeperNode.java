package io.swarmkeeper.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmkeeper.http.HttpTrackerHandler;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.http.HttpTrackerVerticle;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.Ticker;
import io.swarmkeeper.udp.ConnectionIds;
import io.swarmkeeper.udp.UdpTrackerDeployment;
import io.swarmkeeper.udp.UdpTrackerHandler;
import io.swarmkeeper.udp.UdpTrackerMetrics;
import io.swarmkeeper.udp.UdpTrackerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running tracker node: a Vert.x instance sized to the cores it may use, the in-memory store
 * with its expiry sweep, the UDP listener on every event loop and the HTTP tracker. Tests start it
 * in-process.
 */
public final class SwarmkeeperNode {
  private static final Logger LOG = LoggerFactory.getLogger(SwarmkeeperNode.class);

  private final Vertx vertx;
  private final LocalSwarmStore store;
  private final UdpTrackerMetrics udpMetrics;
  private final AtomicBoolean ready;
  private UdpTrackerDeployment udp;
  private String udpHost;
  private HttpTrackerVerticle.Deployed http;
  private String httpHost;
  private long sweepTimer = -1;

  private SwarmkeeperNode(Vertx vertx, LocalSwarmStore store, UdpTrackerMetrics udpMetrics) {
    this.vertx = vertx;
    this.store = store;
    this.udpMetrics = udpMetrics;
    this.ready = new AtomicBoolean();
  }

  public static Future<SwarmkeeperNode> start(NodeOptions options, MeterRegistry registry) {
    int loops = options.effectiveEventLoops();
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    LocalSwarmStore store = new LocalSwarmStore(Ticker.system(), options.peerTimeoutSeconds());
    IntervalPolicy interval = IntervalPolicy.fixed(options.getAnnounceIntervalSeconds());
    UdpTrackerOptions udpOptions = options.getUdp();
    ConnectionIds ids =
        new ConnectionIds(
            ConnectionIds.keyFromHex(udpOptions.getConnectionIdKey()),
            InstantSource.system(),
            udpOptions.getConnectionIdLifetimeSeconds());
    SwarmkeeperNode node = new SwarmkeeperNode(vertx, store, new UdpTrackerMetrics(registry));
    UdpTrackerHandler udpHandler =
        new UdpTrackerHandler(
            store,
            ids,
            interval,
            options.announceLimits(),
            udpOptions.isAllowIpOverride(),
            node.udpMetrics);
    HttpTrackerOptions httpOptions = options.getHttp();
    HttpTrackerHandler httpHandler =
        new HttpTrackerHandler(
            store, interval, options.announceLimits(), httpOptions, node.ready::get);
    Future<Void> udpStarted =
        dualStack(
                udpOptions.getHost(),
                host ->
                    UdpTrackerDeployment.deploy(
                        vertx, new UdpTrackerOptions(udpOptions).setHost(host), udpHandler, loops))
            .map(
                bound -> {
                  node.udp = bound.value();
                  node.udpHost = bound.host();
                  return null;
                });
    Future<Void> httpStarted =
        httpOptions.getPort() < 0
            ? udpStarted
            : udpStarted.compose(
                v ->
                    dualStack(
                            httpOptions.getHost(),
                            host ->
                                HttpTrackerVerticle.deploy(
                                    vertx,
                                    new HttpTrackerOptions(httpOptions).setHost(host),
                                    httpHandler,
                                    loops))
                        .map(
                            bound -> {
                              node.http = bound.value();
                              node.httpHost = bound.host();
                              return null;
                            }));
    return httpStarted
        .map(
            v -> {
              node.sweepTimer =
                  vertx.setPeriodic(
                      options.getSweepPeriodMillis(), id -> store.sweep(options.getSweepBudget()));
              node.ready.set(true);
              LOG.info(
                  "swarmkeeper listening on udp {} ({} transport, {} event loop(s)){}; store:"
                      + " in-memory; announce interval {} s",
                  node.udpAddress(),
                  node.udp.transport().name().toLowerCase(Locale.ROOT),
                  node.udp.instances(),
                  node.http == null ? "; http off" : " and http " + node.httpAddress(),
                  options.getAnnounceIntervalSeconds());
              return node;
            })
        .recover(e -> vertx.close().transform(ignored -> Future.failedFuture(e)));
  }

  private record Bound<T>(T value, String host) {}

  /** Binds as configured; where "::" fails (no IPv6 on the host), 0.0.0.0. */
  private static <T> Future<Bound<T>> dualStack(String host, Function<String, Future<T>> bind) {
    return bind.apply(host)
        .map(v -> new Bound<>(v, host))
        .recover(
            e -> {
              if (!host.equals("::")) {
                return Future.failedFuture(e);
              }
              LOG.info("cannot bind [::] ({}); binding 0.0.0.0 (IPv4 only)", e.getMessage());
              return bind.apply("0.0.0.0").map(v -> new Bound<>(v, "0.0.0.0"));
            });
  }

  private static String address(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  public String udpAddress() {
    return address(udpHost, udp.port());
  }

  public String httpAddress() {
    return http == null ? null : address(httpHost, http.port());
  }

  public int udpPort() {
    return udp.port();
  }

  /** The HTTP port, or -1 when HTTP is off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public LocalSwarmStore store() {
    return store;
  }

  public UdpTrackerMetrics udpMetrics() {
    return udpMetrics;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Future<Void> close() {
    ready.set(false);
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    List<Future<Void>> stops = new ArrayList<>();
    if (http != null) {
      for (String id : http.deploymentIds()) {
        stops.add(vertx.undeploy(id));
      }
    }
    if (udp != null) {
      stops.add(udp.undeploy());
    }
    return Future.join(stops).<Void>mapEmpty().eventually(vertx::close);
  }
}
