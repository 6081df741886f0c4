package io.swarmkeeper.server;

import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running tracker node: a Vert.x instance sized to the cores it may use, the in-memory store
 * with its expiry sweep, and the UDP listener on every event loop. Tests start it in-process.
 */
public final class SwarmkeeperNode {
  private static final Logger LOG = LoggerFactory.getLogger(SwarmkeeperNode.class);

  private final Vertx vertx;
  private final LocalSwarmStore store;
  private final UdpTrackerMetrics udpMetrics;
  private final UdpTrackerDeployment udp;
  private final String udpHost;
  private final long sweepTimer;

  private SwarmkeeperNode(
      Vertx vertx,
      LocalSwarmStore store,
      UdpTrackerMetrics udpMetrics,
      UdpTrackerDeployment udp,
      String udpHost,
      long sweepTimer) {
    this.vertx = vertx;
    this.store = store;
    this.udpMetrics = udpMetrics;
    this.udp = udp;
    this.udpHost = udpHost;
    this.sweepTimer = sweepTimer;
  }

  public static Future<SwarmkeeperNode> start(NodeOptions options, MeterRegistry registry) {
    int loops = options.effectiveEventLoops();
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    LocalSwarmStore store = new LocalSwarmStore(Ticker.system(), options.peerTimeoutSeconds());
    UdpTrackerOptions udpOptions = options.getUdp();
    ConnectionIds ids =
        new ConnectionIds(
            ConnectionIds.keyFromHex(udpOptions.getConnectionIdKey()),
            InstantSource.system(),
            udpOptions.getConnectionIdLifetimeSeconds());
    UdpTrackerMetrics metrics = new UdpTrackerMetrics(registry);
    UdpTrackerHandler handler =
        new UdpTrackerHandler(
            store,
            ids,
            IntervalPolicy.fixed(options.getAnnounceIntervalSeconds()),
            options.announceLimits(),
            udpOptions.isAllowIpOverride(),
            metrics);
    return deployUdp(vertx, udpOptions, handler, loops)
        .map(
            bound -> {
              long timer =
                  vertx.setPeriodic(
                      options.getSweepPeriodMillis(), id -> store.sweep(options.getSweepBudget()));
              SwarmkeeperNode node =
                  new SwarmkeeperNode(
                      vertx, store, metrics, bound.deployment(), bound.host(), timer);
              LOG.info(
                  "swarmkeeper listening on udp {} ({} transport, {} event loop(s)); store:"
                      + " in-memory; announce interval {} s",
                  node.udpAddress(),
                  bound.deployment().transport().name().toLowerCase(Locale.ROOT),
                  bound.deployment().instances(),
                  options.getAnnounceIntervalSeconds());
              return node;
            })
        .recover(e -> vertx.close().transform(ignored -> Future.failedFuture(e)));
  }

  /** Binds all addresses as configured; where "::" fails (no IPv6 on the host), 0.0.0.0. */
  private static Future<BoundUdpDeployment> deployUdp(
      Vertx vertx, UdpTrackerOptions options, UdpTrackerHandler handler, int loops) {
    return UdpTrackerDeployment.deploy(vertx, options, handler, loops)
        .map(d -> new BoundUdpDeployment(d, options.getHost()))
        .recover(
            e -> {
              if (!options.getHost().equals("::")) {
                return Future.failedFuture(e);
              }
              LOG.info("cannot bind udp [::] ({}); binding 0.0.0.0 (IPv4 only)", e.getMessage());
              UdpTrackerOptions v4 = new UdpTrackerOptions(options).setHost("0.0.0.0");
              return UdpTrackerDeployment.deploy(vertx, v4, handler, loops)
                  .map(d -> new BoundUdpDeployment(d, "0.0.0.0"));
            });
  }

  private record BoundUdpDeployment(UdpTrackerDeployment deployment, String host) {}

  public String udpAddress() {
    String host = udpHost.contains(":") ? "[" + udpHost + "]" : udpHost;
    return host + ":" + udp.port();
  }

  public int udpPort() {
    return udp.port();
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
    vertx.cancelTimer(sweepTimer);
    return udp.undeploy().eventually(vertx::close);
  }
}
