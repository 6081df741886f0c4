package io.swarmkeeper.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: reads the options, starts a node, stops it cleanly on SIGTERM/SIGINT, reloads
 * on SIGHUP, and exits when the node can no longer serve. Exit codes: 0 stopped by a signal, 1
 * could not start, 2 bad options, 3 out of memory (or another VM error), 4 a listener or event loop
 * died.
 */
@Command(
    name = "swarmkeeper",
    mixinStandardHelpOptions = true,
    version = "swarmkeeper 0.1.0",
    sortOptions = false,
    description = {
      "A BitTorrent tracker (UDP BEP 15, HTTP BEP 3) with an in-memory swarm store.",
      "Options come from the config file, then SWARMKEEPER_* environment variables"
          + " (udp.port is SWARMKEEPER_UDP_PORT), then these flags.",
      "SIGTERM/SIGINT stop it (exit 0); SIGHUP re-reads the config and applies limits.* and"
          + " log-level, keeping every swarm.",
      "Exit codes: 1 could not start, 2 bad options, 3 out of memory, 4 a listener or event loop"
          + " died."
    })
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /**
   * The longest stop: a fleet member hands its partitions to the others before it exits, which
   * takes seconds per million peers (Kubernetes' terminationGracePeriodSeconds must exceed it).
   */
  private static final int STOP_SECONDS = 330;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON config file.")
  Path config;

  @Option(names = "--udp-port", paramLabel = "N", description = "UDP port (default 6969).")
  Integer udpPort;

  @Option(
      names = "--http-port",
      paramLabel = "N",
      description = "HTTP port (default 6969; -1 switches HTTP off).")
  Integer httpPort;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description =
          "Address to listen on, UDP and HTTP (default :: = all IPv4 and IPv6 addresses).")
  String host;

  @Option(
      names = "--event-loops",
      paramLabel = "N",
      description = "Event loops (default 0 = one per core this process may use).")
  Integer eventLoops;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      description = "Announce interval handed to clients (default 1800).")
  Integer interval;

  @Option(
      names = "--udp-transport",
      paramLabel = "auto|epoll|vertx",
      description = "UDP I/O path (default auto: epoll where available).")
  String udpTransport;

  @Option(
      names = "--admin-port",
      paramLabel = "N",
      description = "Admin listener port for /health and /ready (default -1 = off).")
  Integer adminPort;

  @Option(
      names = "--database",
      paramLabel = "URL",
      description =
          "PostgreSQL of the torrent registry, postgres://USER:PASS@HOST:PORT/DB (default: none).")
  String database;

  @Option(
      names = "--access",
      paramLabel = "public|whitelist|private",
      description =
          "Track every torrent, only registered ones, or only those for holders of a passkey"
              + " (whitelist and private need --database).")
  String access;

  @Option(
      names = "--store",
      paramLabel = "memory|hazelcast|redis",
      description =
          "Where swarms live (default memory; hazelcast: shared by the fleet; redis: in the Redis"
              + " of --redis-url, shared by every node on it).")
  String store;

  @Option(
      names = "--redis-url",
      paramLabel = "URL",
      description =
          "The Redis of --store redis, redis://[:PASSWORD@]HOST:PORT (default redis://127.0.0.1:6379).")
  String redisUrl;

  @Option(
      names = "--cluster-members",
      paramLabel = "HOST:PORT,...",
      description = "Other fleet members to join (static discovery).")
  String clusterMembers;

  @Option(
      names = "--cluster-port",
      paramLabel = "N",
      description = "Port of this member's cluster link (default 5701).")
  Integer clusterPort;

  @Option(
      names = "--cluster-host",
      paramLabel = "ADDR",
      description = "Address of this member's cluster link (default: Hazelcast picks).")
  String clusterHost;

  @Option(
      names = "--cluster-name",
      paramLabel = "NAME",
      description = "Fleet name; members join only their own (default swarmkeeper).")
  String clusterName;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Any option by its config key, e.g. --set udp.receive-buffer-bytes=8388608.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--print-default-config", description = "Print the default config and exit.")
  boolean printDefaultConfig;

  public static void main(String[] args) {
    widenCommonPool();
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (printDefaultConfig) {
      System.out.println(new NodeOptions().toJson().encodePrettily());
      return 0;
    }
    ConsoleLog.install();
    NodeOptions options;
    try {
      options = ConfigLoader.load(config, System.getenv(), flagSettings());
    } catch (IllegalArgumentException e) {
      System.err.println("swarmkeeper: " + e.getMessage());
      return 2;
    }
    ConsoleLog.setLevel(options.getLogLevel());
    CompletableFuture<SwarmkeeperNode> started =
        SwarmkeeperNode.start(
                options,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Main::exitAfterFailure)
            .toCompletionStage()
            .toCompletableFuture();
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable shutdown =
        () -> {
          if (!stopping.compareAndSet(false, true)) {
            LOG.info("already stopping");
            return;
          }
          LOG.info("stopping");
          try {
            started
                .get(30, TimeUnit.SECONDS)
                .close()
                .toCompletionStage()
                .toCompletableFuture()
                .get(STOP_SECONDS, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            // the start failed; the main thread says why
          } catch (Exception e) {
            LOG.warn("unclean stop: {}", e.toString());
          }
          stopped.countDown();
        };
    Runnable reload =
        () -> {
          SwarmkeeperNode node = started.getNow(null);
          if (node == null || stopping.get()) {
            return;
          }
          NodeOptions next;
          try {
            next = ConfigLoader.load(config, System.getenv(), flagSettings());
          } catch (IllegalArgumentException e) {
            LOG.warn("reload refused, the running config stays: {}", e.getMessage());
            return;
          }
          List<String> changes = node.reload(next);
          ConsoleLog.setLevel(next.getLogLevel());
          LOG.info(
              "reloaded the config{}", changes.isEmpty() ? ": nothing changed" : ": " + changes);
        };
    // Handled from before the start: a signal then stops (or, for HUP, is ignored) rather than
    // taking the JVM's default. A handled signal also lets the process exit 0 rather than 143.
    for (String signal : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(shutdown).start());
    }
    sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> new Thread(reload).start());
    SwarmkeeperNode node;
    try {
      node = started.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      System.err.println("swarmkeeper: " + e.getCause().getMessage());
      return 1;
    }
    // An error on a thread of no event loop (out of memory, say) ends the node as well.
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (e instanceof VirtualMachineError) {
            node.fail("thread " + thread.getName(), e);
          } else {
            LOG.warn("uncaught on thread {}: {}", thread.getName(), e.toString());
          }
        });
    stopped.await();
    LOG.info("stopped");
    return 0;
  }

  /**
   * Gives the ForkJoin common pool at least 2 threads unless the operator chose: with 2 cores the
   * JVM makes it 1 wide, and Hazelcast then starts a thread per completed call (MEASURED.md: 3 k
   * calls/s). It must happen before anything touches the pool, so first thing in main.
   */
  static void widenCommonPool() {
    String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(key) == null) {
      int cores = Runtime.getRuntime().availableProcessors();
      System.setProperty(key, Integer.toString(Math.max(2, cores - 1)));
    }
  }

  /**
   * Ends the process at once: a node that cannot serve should be restarted by its supervisor, and
   * with the heap exhausted an orderly exit could hang.
   */
  private static void exitAfterFailure(int code, String reason) {
    try {
      LOG.error("swarmkeeper cannot serve, exiting with code {}: {}", code, reason);
    } catch (Throwable ignored) {
      // exit all the same
    } finally {
      Runtime.getRuntime().halt(code);
    }
  }

  private Map<String, String> flagSettings() {
    Map<String, String> out = new LinkedHashMap<>(settings);
    if (udpPort != null) {
      out.put("udp.port", udpPort.toString());
    }
    if (httpPort != null) {
      out.put("http.port", httpPort.toString());
    }
    if (host != null) {
      out.put("udp.host", host);
      out.put("http.host", host);
    }
    if (eventLoops != null) {
      out.put("event-loops", eventLoops.toString());
    }
    if (interval != null) {
      out.put("interval.min-seconds", interval.toString());
    }
    if (udpTransport != null) {
      out.put("udp.transport", udpTransport);
    }
    if (adminPort != null) {
      out.put("admin.port", adminPort.toString());
    }
    if (database != null) {
      out.put("database.url", database);
    }
    if (access != null) {
      out.put("access.mode", access);
    }
    if (store != null) {
      out.put("store", store);
    }
    if (redisUrl != null) {
      out.put("redis.url", redisUrl);
    }
    if (clusterMembers != null) {
      out.put("cluster.members", clusterMembers);
    }
    if (clusterPort != null) {
      out.put("cluster.port", clusterPort.toString());
    }
    if (clusterHost != null) {
      out.put("cluster.host", clusterHost);
    }
    if (clusterName != null) {
      out.put("cluster.name", clusterName);
    }
    return out;
  }
}
