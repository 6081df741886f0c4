package io.swarmkeeper.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What a fleet costs against one node: a single node with the memory store, then a fleet of members
 * on the same CPU, under the same generator at the same fixed rates, alternating over rounds.
 * Reports the CPU time of all tracker processes per response, latency, drops and heap per stored
 * peer.
 */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description =
        "Fleet against single node on loopback, every node on --tracker-cpu: CPU per response at a"
            + " fixed rate, latency, heap per stored peer. Run it pinned to another CPU"
            + " (loadtest/bench-fleet.sh does).")
final class FleetBench implements Callable<Integer> {
  static final String SINGLE = "single";
  static final String FLEET = "fleet";

  @Mixin LoadTest.ScenarioOptions scenario = new LoadTest.ScenarioOptions();
  @Mixin NodeLaunchOptions nodes = new NodeLaunchOptions();

  @Option(
      names = "--rate",
      split = ",",
      description =
          "Requests/s offered to both, on a schedule; several (comma-separated) are measured one"
              + " after the other on the same population. Keep them below what the fleet answers"
              + " on one core, or CPU per response measures a queue (default ${DEFAULT-VALUE}).")
  List<Double> rates = List.of(1_000.0, 3_000.0);

  @Option(names = "--rounds", description = "Default ${DEFAULT-VALUE}.")
  int rounds = 3;

  @Option(names = "--duration", description = "Measured seconds (default ${DEFAULT-VALUE}).")
  double duration = 20;

  @Option(
      names = "--warmup",
      description =
          "Seconds at the first rate after the population, before measuring; 5 s before each"
              + " further rate (default ${DEFAULT-VALUE}).")
  double warmup = 60;

  @Option(
      names = "--window",
      description = "Most requests in flight at the rate (default ${DEFAULT-VALUE}).")
  int window = 1024;

  @Option(
      names = "--populate-window",
      description = "Requests in flight while populating (default ${DEFAULT-VALUE}).")
  int populateWindow = 256;

  @Option(
      names = "--idle-seconds",
      description =
          "Seconds without load after the last rate, the population stored, over which the"
              + " processes' own CPU use is read (heartbeats, sweeps; 0 skips; default"
              + " ${DEFAULT-VALUE}).")
  double idleSeconds = 10;

  @Option(names = "--out", description = "Results folder (default ${DEFAULT-VALUE}).")
  String out = "loadtest/results";

  /** One setup at one rate in one round: the measured window and the heap around the population. */
  record Run(
      String setup,
      int round,
      double rate,
      int processes,
      Map<String, Object> stats,
      double idleCpuBusy,
      double cpuSeconds,
      long fleetDrops,
      int halfPeers,
      int peers,
      long heapIdleKib,
      long heapHalfKib,
      long heapPopulatedKib) {
    long responses() {
      return ((Number) stats.get("responses")).longValue();
    }

    double stat(String key) {
      return ((Number) stats.get(key)).doubleValue();
    }

    double cpuMicrosPerResponse() {
      return cpuSeconds * 1e6 / responses();
    }

    /** Share of one core the processes used in the window. */
    double cpuBusy() {
      return cpuSeconds / stat("seconds");
    }

    /** Heap grown by the second half of the population, per peer of that half. */
    double heapSlopeBytesPerPeer() {
      return (heapPopulatedKib - heapHalfKib) * 1024.0 / (peers - halfPeers);
    }

    /** Heap grown by the whole population (so with a fleet's fixed costs), per peer. */
    double heapBytesPerPeer() {
      return (heapPopulatedKib - heapIdleKib) * 1024.0 / peers;
    }

    long failed() {
      return (long) (stat("error_packets") + stat("invalid"));
    }

    Run withIdleCpuBusy(double share) {
      return new Run(
          setup,
          round,
          rate,
          processes,
          stats,
          share,
          cpuSeconds,
          fleetDrops,
          halfPeers,
          peers,
          heapIdleKib,
          heapHalfKib,
          heapPopulatedKib);
    }
  }

  private final List<Run> runs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path dir = Path.of(out).toAbsolutePath();
    Files.createDirectories(dir);
    spreadSources(scenario, nodes.members);
    log(
        String.format(
            Locale.ROOT,
            "fleet bench: single node against %d members; %d rounds; %s requests/s, %.0f s"
                + " warm-up, %.0f s measured; every node on CPU %d; java %s",
            nodes.members,
            rounds,
            rateList(),
            warmup,
            duration,
            nodes.trackerCpu,
            System.getProperty("java.version")));
    log("reproduce: " + commandLine());
    UdpLoad.describe(
            rateOptions(nodes.udpAddresses(nodes.members), warmup).withRate(rates.get(0)),
            scenario.scenario())
        .forEach(FleetBench::log);
    for (int round = 1; round <= rounds; round++) {
      List<String> order = round % 2 == 1 ? List.of(SINGLE, FLEET) : List.of(FLEET, SINGLE);
      for (String setup : order) {
        runs.addAll(run(setup, round, dir));
      }
    }
    String report = report();
    System.out.println(report);
    Files.writeString(dir.resolve("fleet-results.md"), report);
    writeJson(dir.resolve("fleet-results.json"));
    log("wrote " + dir.resolve("fleet-results.md") + " and fleet-results.json");
    return 0;
  }

  /**
   * Raises the source addresses to a multiple of {@code members}: each sticks to one member, so the
   * same number per member spreads the load evenly.
   */
  static void spreadSources(LoadTest.ScenarioOptions shape, int members) {
    int needed =
        Math.max(
            shape.sources,
            (shape.peers + Scenario.MAX_PEERS_PER_SOURCE - 1) / Scenario.MAX_PEERS_PER_SOURCE);
    shape.sources = (needed + members - 1) / members * members;
  }

  String commandLine() {
    return String.format(
        Locale.ROOT,
        "loadtest/bench-fleet.sh fleet --members %d --rate %s --rounds %d --duration %.0f"
            + " --warmup %.0f --peers %d --swarms %d --backup-count %d --jvm-args '%s'",
        nodes.members,
        rateList(),
        rounds,
        duration,
        warmup,
        scenario.peers,
        scenario.swarms,
        nodes.backupCount,
        nodes.jvmArgs);
  }

  private String rateList() {
    return String.join(
        ",", rates.stream().map(r -> String.format(Locale.ROOT, "%.0f", r)).toList());
  }

  private UdpLoad.Options rateOptions(List<InetSocketAddress> targets, double warm) {
    return new UdpLoad.Options(
        targets,
        window,
        scenario.sources,
        scenario.sourceBase,
        warm,
        duration,
        1000,
        false,
        false,
        1.0,
        60,
        0);
  }

  /**
   * Every peer of {@code s} but those of {@code already} (null: none) announces once, as fast as
   * {@code window} requests in flight are answered; the load stops as soon as the last one is sent
   * and answered.
   */
  static LoadStats populate(
      List<InetSocketAddress> targets,
      int window,
      LoadTest.ScenarioOptions shape,
      Scenario s,
      Scenario already)
      throws Exception {
    UdpLoad.Options o =
        new UdpLoad.Options(
            targets, window, shape.sources, shape.sourceBase, 0, 0, 1000, true, false, 1.0, 60, 0);
    long start = System.nanoTime();
    UdpLoad load = new UdpLoad(o, s);
    if (already != null) {
      load.populatedAlready(already);
    }
    LoadStats st = load.run();
    log(
        String.format(
            Locale.ROOT,
            "  populated %,d peers in %.1f s; timeouts %,d, errors %,d",
            s.peers - (already == null ? 0 : already.peers),
            (System.nanoTime() - start) / 1e9,
            st.timeouts,
            st.errorPackets));
    return st;
  }

  private List<Run> run(String setup, int round, Path dir) throws Exception {
    String label = setup + "-round" + round;
    try (NodeProcesses t =
        setup.equals(SINGLE)
            ? NodeProcesses.single(nodes, dir, label)
            : NodeProcesses.fleet(nodes, dir, label)) {
      log(setup + " round " + round + ": " + t.size() + " process(es) ready");
      Scenario s = scenario.scenario();
      List<InetSocketAddress> targets = t.udpAddresses();
      long heapIdle = t.heapUsedAfterGcKib();
      Scenario half = s.limitedTo(s.peers / 2);
      populate(targets, populateWindow, scenario, half, null);
      int halfPeers = half.activePeers();
      long heapHalf = t.heapUsedAfterGcKib();
      populate(targets, populateWindow, scenario, s, half);
      int peers = s.activePeers();
      long heapPopulated = t.heapUsedAfterGcKib();
      log(
          String.format(
              Locale.ROOT,
              "  heap after GC %,d -> %,d -> %,d KiB for 0 -> %,d -> %,d peers",
              heapIdle,
              heapHalf,
              heapPopulated,
              halfPeers,
              peers));
      boolean fleet = setup.equals(FLEET);
      List<Run> measured = new ArrayList<>();
      for (double rate : rates) {
        long dropsBefore = fleet ? t.fleetDrops() : 0;
        double[] cpu = new double[2];
        // 5 s before a further rate: a generator behind its new schedule reads as latency.
        double warm = measured.isEmpty() ? warmup : 5;
        LoadStats st =
            new UdpLoad(rateOptions(targets, warm).withRate(rate), s)
                .onWindow(() -> cpu[0] = cpuSeconds(t), () -> cpu[1] = cpuSeconds(t))
                .run();
        long drops = fleet ? t.fleetDrops() - dropsBefore : 0;
        Map<String, Object> m = new LinkedHashMap<>(st.toMap());
        m.put("offered_per_s", Math.round(rate));
        Run r =
            new Run(
                setup,
                round,
                rate,
                t.size(),
                m,
                Double.NaN,
                cpu[1] - cpu[0],
                drops,
                halfPeers,
                peers,
                heapIdle,
                heapHalf,
                heapPopulated);
        measured.add(r);
        log(
            String.format(
                Locale.ROOT,
                "%s round %d at %,.0f requests/s: %,.0f responses/s; CPU %.2f s (%.0f %% of one"
                    + " core), %.2f us per response; p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms;"
                    + " timeouts %,d, errors %,d, invalid %,d, fleet drops %,d",
                setup,
                round,
                rate,
                st.responsesPerSecond(),
                r.cpuSeconds(),
                r.cpuBusy() * 100,
                r.cpuMicrosPerResponse(),
                r.stat("p50_ms"),
                r.stat("p99_ms"),
                r.stat("p999_ms"),
                st.timeouts,
                st.errorPackets,
                st.invalid,
                drops));
        if (st.firstInvalid != null) {
          log("  first invalid: " + st.firstInvalid);
        }
        if (st.firstError != null) {
          log("  first error packet: " + st.firstError);
        }
      }
      // At rest last, once the load has compiled what it runs: three JVMs on one core are still
      // compiling 20-35 s after their start or a first load.
      double idle = Double.NaN;
      if (idleSeconds > 0) {
        double before = t.cpuSeconds();
        long start = System.nanoTime();
        Thread.sleep((long) (idleSeconds * 1000));
        idle = (t.cpuSeconds() - before) / ((System.nanoTime() - start) / 1e9);
        log(String.format(Locale.ROOT, "  at rest: %.1f %% of one core", idle * 100));
      }
      if (fleet) {
        log("  the fleet as member 1 saw it last: " + t.fleet(0).encode());
      }
      List<Run> out = new ArrayList<>();
      for (Run r : measured) {
        out.add(r.withIdleCpuBusy(idle));
      }
      return out;
    }
  }

  /** Read on the generator's thread as the window opens and closes; a failure ends the run. */
  private static double cpuSeconds(NodeProcesses t) {
    try {
      return t.cpuSeconds();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private double median(String setup, double rate, ToDoubleFunction<Run> f) {
    double[] a =
        runs.stream()
            .filter(r -> r.setup().equals(setup) && (Double.isNaN(rate) || r.rate() == rate))
            .mapToDouble(f)
            .sorted()
            .toArray();
    if (a.length == 0) {
      return Double.NaN;
    }
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  String report() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%nMedians of %d rounds: one node (memory store) against a fleet of %d members (backup"
                + " count %d), every process on CPU %d, the generator on another; requests offered"
                + " on a schedule (latency from each request's scheduled time), %.0f s measured"
                + " after %.0f s of warm-up (5 s before each further rate); %,d peers in %,d swarms"
                + " over %d source addresses, each sending to one node. CPU: user + system time of"
                + " every tracker process in the measured window.%n",
            rounds,
            nodes.members,
            nodes.backupCount,
            nodes.trackerCpu,
            duration,
            warmup,
            scenario.peers,
            scenario.swarms,
            scenario.sources));
    sb.append(
        "\n| offered requests/s | setup | responses/s | CPU s | share of one core | CPU us per"
            + " response | p50 ms | p99 ms | p99.9 ms | timeouts | failed (error or invalid"
            + " answers) | fleet drops |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (double rate : rates) {
      for (String setup : List.of(SINGLE, FLEET)) {
        sb.append(
            String.format(
                Locale.ROOT,
                "| %,.0f | %s | %,.0f | %.2f | %.0f %% | %.2f | %.3f | %.3f | %.3f | %,.0f | %,.0f"
                    + " | %,.0f |%n",
                rate,
                setup.equals(SINGLE) ? "single" : "fleet of " + nodes.members,
                median(setup, rate, r -> r.stat("responses_per_s")),
                median(setup, rate, Run::cpuSeconds),
                median(setup, rate, Run::cpuBusy) * 100,
                median(setup, rate, Run::cpuMicrosPerResponse),
                median(setup, rate, r -> r.stat("p50_ms")),
                median(setup, rate, r -> r.stat("p99_ms")),
                median(setup, rate, r -> r.stat("p999_ms")),
                median(setup, rate, r -> r.stat("timeouts")),
                median(setup, rate, Run::failed),
                median(setup, rate, Run::fleetDrops)));
      }
    }
    sb.append(
        "\n| offered requests/s | CPU per response, fleet / single (target at most 2 x) | by"
            + " round | p50, fleet / single | p99, fleet / single |\n|---|---|---|---|---|\n");
    for (double rate : rates) {
      double cpu = ratio(rate, Run::cpuMicrosPerResponse);
      sb.append(
          String.format(
              Locale.ROOT,
              "| %,.0f | **%.2f x** (%s) | %s | %.2f x | %.2f x |%n",
              rate,
              cpu,
              cpu <= 2 ? "met" : "not met",
              byRound(rate),
              ratio(rate, r -> r.stat("p50_ms")),
              ratio(rate, r -> r.stat("p99_ms"))));
    }
    sb.append(
        "\n| setup | processes | at rest after the load, populated: share of one core | heap used after GC,"
            + " populated, MiB (all processes) | heap bytes per stored peer (second half of the"
            + " population) | heap bytes per stored peer (whole population) |\n"
            + "|---|---|---|---|---|---|\n");
    for (String setup : List.of(SINGLE, FLEET)) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f %% | %.0f | %.1f | %.1f |%n",
              setup,
              setup.equals(SINGLE) ? 1 : nodes.members,
              median(setup, Double.NaN, Run::idleCpuBusy) * 100,
              median(setup, Double.NaN, r -> r.heapPopulatedKib() / 1024.0),
              median(setup, Double.NaN, Run::heapSlopeBytesPerPeer),
              median(setup, Double.NaN, Run::heapBytesPerPeer)));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%nHeap per stored peer, fleet (backup count %d) / single: %.2f x (second half), %.2f x"
                + " (whole population).%n",
            nodes.backupCount,
            ratio(Double.NaN, Run::heapSlopeBytesPerPeer),
            ratio(Double.NaN, Run::heapBytesPerPeer)));
    sb.append("\nCommand: `").append(commandLine()).append("`\n");
    return sb.toString();
  }

  private double ratio(double rate, ToDoubleFunction<Run> f) {
    return median(FLEET, rate, f) / median(SINGLE, rate, f);
  }

  /** The fleet / single ratio of CPU per response in each round, at one rate. */
  private String byRound(double rate) {
    List<String> out = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      int n = round;
      ToDoubleFunction<String> of =
          setup ->
              runs.stream()
                  .filter(r -> r.round() == n && r.setup().equals(setup) && r.rate() == rate)
                  .mapToDouble(Run::cpuMicrosPerResponse)
                  .findFirst()
                  .orElse(Double.NaN);
      out.add(
          String.format(Locale.ROOT, "%.2f", of.applyAsDouble(FLEET) / of.applyAsDouble(SINGLE)));
    }
    return String.join(", ", out);
  }

  private void writeJson(Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Run r : runs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("setup", r.setup());
      m.put("round", r.round());
      m.put("processes", r.processes());
      m.putAll(r.stats());
      m.put("idle_cpu_share", Math.round(r.idleCpuBusy() * 1000) / 1000.0);
      m.put("cpu_seconds", r.cpuSeconds());
      m.put("cpu_us_per_response", Math.round(r.cpuMicrosPerResponse() * 1000) / 1000.0);
      m.put("fleet_drops", r.fleetDrops());
      m.put("half_peers", r.halfPeers());
      m.put("peers", r.peers());
      m.put("heap_idle_kib", r.heapIdleKib());
      m.put("heap_half_kib", r.heapHalfKib());
      m.put("heap_populated_kib", r.heapPopulatedKib());
      m.put("heap_second_half_bytes_per_peer", Math.round(r.heapSlopeBytesPerPeer() * 10) / 10.0);
      m.put("heap_bytes_per_peer", Math.round(r.heapBytesPerPeer() * 10) / 10.0);
      rows.add(m);
    }
    Files.writeString(file, LoadStats.toJson("runs", rows));
  }

  static void log(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
