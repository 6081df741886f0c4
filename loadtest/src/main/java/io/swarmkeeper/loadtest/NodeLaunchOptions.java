package io.swarmkeeper.loadtest;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How the fleet benchmarks start swarmkeeper nodes on this machine: the jar, the JVM, the CPU they
 * are pinned to and the first of each kind of port (member {@code i} takes the first + i).
 */
final class NodeLaunchOptions {
  /**
   * Every node gets it, the single one too so that both run alike: pinned to one CPU the JVM sizes
   * the common pool to one thread, and below two CompletableFuture's async steps (Hazelcast's among
   * them) start a new thread per task.
   */
  static final String COMMON_POOL = "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2";

  @Option(names = "--members", description = "Fleet members (default ${DEFAULT-VALUE}).")
  int members = 3;

  @Option(names = "--swarmkeeper-jar", description = "Default ${DEFAULT-VALUE}.")
  String swarmkeeperJar = "server/target/swarmkeeper.jar";

  @Option(names = "--java", description = "java for the nodes (default: this JVM's).")
  String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Option(
      names = "--jvm-args",
      description =
          "JVM flags of every node, the single one and each member alike (default"
              + " ${DEFAULT-VALUE}; "
              + COMMON_POOL
              + " is always added).")
  String jvmArgs = "-Xms96m -Xmx2g -Xmn64m -XX:+UseTransparentHugePages";

  @Option(
      names = "--tracker-cpu",
      description =
          "CPU of every node, all members of the fleet too, so that CPU time compares"
              + " (default ${DEFAULT-VALUE}).")
  int trackerCpu = 0;

  @Option(names = "--port", description = "First UDP port (default ${DEFAULT-VALUE}).")
  int udpPort = 16969;

  @Option(names = "--admin-port", description = "First admin port (default ${DEFAULT-VALUE}).")
  int adminPort = 16980;

  @Option(
      names = "--cluster-port",
      description = "First cluster port of the fleet (default ${DEFAULT-VALUE}).")
  int clusterPort = 16701;

  @Option(
      names = "--backup-count",
      description = "Synchronous backups of each swarm in the fleet (default ${DEFAULT-VALUE}).")
  int backupCount = 1;

  /** The UDP addresses of nodes 0 .. count - 1. */
  List<InetSocketAddress> udpAddresses(int count) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new InetSocketAddress("127.0.0.1", udpPort + i));
    }
    return out;
  }

  /**
   * The command of node {@code index}: with {@code clusterName} null a node with the memory store,
   * else member {@code index} of a fleet of {@code members} on consecutive cluster ports.
   */
  List<String> command(int index, int members, String clusterName) {
    List<String> c =
        new ArrayList<>(List.of("taskset", "-c", Integer.toString(trackerCpu), javaCommand));
    c.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")));
    c.add(COMMON_POOL);
    c.addAll(
        List.of(
            "-jar",
            Path.of(swarmkeeperJar).toAbsolutePath().toString(),
            "--host",
            "127.0.0.1",
            "--udp-port",
            Integer.toString(udpPort + index),
            "--http-port",
            "-1",
            "--admin-port",
            Integer.toString(adminPort + index),
            "--event-loops",
            "1"));
    if (clusterName == null) {
      c.addAll(List.of("--store", "memory"));
    } else {
      List<String> all = new ArrayList<>();
      for (int i = 0; i < members; i++) {
        all.add("127.0.0.1:" + (clusterPort + i));
      }
      c.addAll(
          List.of(
              "--store",
              "hazelcast",
              "--cluster-host",
              "127.0.0.1",
              "--cluster-port",
              Integer.toString(clusterPort + index),
              "--cluster-members",
              String.join(",", all),
              "--cluster-name",
              clusterName,
              "--set",
              "cluster.backup-count=" + backupCount));
    }
    c.addAll(Bench.NO_STATE_LIMITS);
    return c;
  }
}
