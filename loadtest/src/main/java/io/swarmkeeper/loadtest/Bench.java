package io.swarmkeeper.loadtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs swarmkeeper and opentracker one after the other under the same load, the tracker pinned to
 * one CPU and this generator to another, alternating over rounds, and prints medians and ratios.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Side-by-side benchmark: swarmkeeper vs opentracker on loopback. Run it pinned to a CPU"
            + " other than --tracker-cpu (loadtest/bench.sh does).")
final class Bench implements Callable<Integer> {
  @Mixin LoadTest.ScenarioOptions scenario = new LoadTest.ScenarioOptions();

  @Option(
      names = "--trackers",
      split = ",",
      description =
          "Trackers to run; the last is the reference. 'LABEL=JAR [JVM FLAGS] [-- NODE ARGS]'"
              + " runs that swarmkeeper jar under LABEL, with those JVM flags after --jvm-args"
              + " and one event loop, and those arguments to the node after its own (an A/B of"
              + " builds, flags or settings). 'LABEL=LAUNCHER [JVM FLAGS] [-- NODE ARGS]' (a path"
              + " not ending in .jar, e.g. server/target/swarmkeeper/bin/swarmkeeper) runs the"
              + " launcher as an operator would, the JVM flags in SWARMKEEPER_OPTS."
              + " Default ${DEFAULT-VALUE}.")
  List<String> trackers = List.of("swarmkeeper", "opentracker");

  @Option(names = "--rounds", description = "Default ${DEFAULT-VALUE}.")
  int rounds = 3;

  @Option(
      names = "--windows",
      split = ",",
      description = "Requests in flight (default ${DEFAULT-VALUE}).")
  List<Integer> windows = List.of(16, 64, 256, 1024);

  @Option(
      names = "--duration",
      description = "Measured seconds per window (default ${DEFAULT-VALUE}).")
  double duration = 20;

  @Option(
      names = "--warmup",
      description =
          "Seconds of load after the population is in, before the first window"
              + " (default ${DEFAULT-VALUE}).")
  double warmup = 20;

  @Option(names = "--tracker-cpu", description = "Default ${DEFAULT-VALUE}.")
  int trackerCpu = 0;

  @Option(names = "--port", description = "Default ${DEFAULT-VALUE}.")
  int port = 16969;

  @Option(
      names = "--swarmkeeper",
      description =
          "What the tracker 'swarmkeeper' runs: the launcher, as the README starts it, or a jar"
              + " (default ${DEFAULT-VALUE}).")
  String swarmkeeper = "server/target/swarmkeeper/bin/swarmkeeper";

  @Option(names = "--java", description = "java for swarmkeeper (default: this JVM's).")
  String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Option(names = "--jvm-args", description = "Default ${DEFAULT-VALUE}.")
  String jvmArgs = "-Xms96m -Xmx2g -Xmn64m -XX:+UseTransparentHugePages";

  @Option(names = "--opentracker", description = "Default ${DEFAULT-VALUE}.")
  String opentracker = "/usr/bin/opentracker";

  @Option(names = "--out", description = "Results folder (default ${DEFAULT-VALUE}).")
  String out = "loadtest/results";

  @Option(
      names = "--latency-load",
      description =
          "After the windows, offer each tracker a fixed rate of this share of the reference's"
              + " peak throughput and measure latency there (0 skips; default ${DEFAULT-VALUE}).")
  double latencyLoad = 0.95;

  @Option(names = "--skip-responder-check", description = "Skip the generator ceiling check.")
  boolean skipResponderCheck;

  @Option(
      names = "--responder",
      description =
          "A native trivial responder (loadtest/src/main/c/responder.c, built by"
              + " bench.sh); without it the JVM responder, which is slower than the generator.")
  String nativeResponder;

  /** The window of a {@link Point} measured at a fixed offered rate, not a window. */
  static final int FIXED_RATE = 0;

  /** One measured window (or the fixed-rate run) of one tracker in one round. */
  record Point(String tracker, int round, int window, Map<String, Object> stats) {
    double rate() {
      return ((Number) stats.get("responses_per_s")).doubleValue();
    }

    double p99() {
      return ((Number) stats.get("p99_ms")).doubleValue();
    }
  }

  /**
   * Memory of one tracker run: idle, after the first half of the population announced, after all of
   * it (and the warm-up), and the peak. The second half's growth is the cost per peer without the
   * fixed costs a process pays once whatever it stores (a JVM's young generation, code).
   */
  record Memory(
      String tracker,
      int round,
      long idleKib,
      long halfKib,
      long populatedKib,
      long peakKib,
      int halfPeers,
      int peers,
      long heapIdleKib,
      long heapHalfKib,
      long heapPopulatedKib) {
    /** RSS grown by the whole population, per peer. */
    double bytesPerPeer() {
      return (populatedKib - idleKib) * 1024.0 / peers;
    }

    /** RSS grown by the second half of the population, per peer of that half. */
    double slopeBytesPerPeer() {
      return (populatedKib - halfKib) * 1024.0 / (peers - halfPeers);
    }

    /** For a JVM: heap used after a full GC grown by the second half, per peer; else NaN. */
    double heapSlopeBytesPerPeer() {
      return heapIdleKib < 0
          ? Double.NaN
          : (heapPopulatedKib - heapHalfKib) * 1024.0 / (peers - halfPeers);
    }

    Memory withPeak(long kib) {
      return new Memory(
          tracker,
          round,
          idleKib,
          halfKib,
          populatedKib,
          kib,
          halfPeers,
          peers,
          heapIdleKib,
          heapHalfKib,
          heapPopulatedKib);
    }
  }

  private final List<Point> points = new ArrayList<>();
  private final List<Memory> memory = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    System.setProperty("java.awt.headless", "true");
    Path dir = Path.of(out).toAbsolutePath();
    Files.createDirectories(dir);
    Scenario shape = scenario.scenario();
    shape.writeWhitelist(dir.resolve("whitelist.txt"));
    Files.writeString(
        dir.resolve("opentracker.conf"),
        "listen.tcp_udp 127.0.0.1:"
            + port
            + "\naccess.whitelist "
            + dir.resolve("whitelist.txt")
            + "\n");
    log(
        "bench: "
            + String.join(", ", trackers)
            + "; "
            + rounds
            + " rounds; windows "
            + windows
            + "; "
            + duration
            + " s each; tracker on CPU "
            + trackerCpu
            + "; java "
            + System.getProperty("java.version"));
    UdpLoad.describe(
            loadOptions(List.of(new InetSocketAddress("127.0.0.1", port)), windows.get(0), true, 0),
            shape)
        .forEach(Bench::log);

    double ceiling = skipResponderCheck ? Double.NaN : responderCeiling(dir);
    for (int round = 1; round <= rounds; round++) {
      List<String> order = new ArrayList<>(trackers);
      // The reference (last) runs first in round 1: the fixed-rate load needs its peak.
      if (round % 2 == 1) {
        java.util.Collections.reverse(order);
      }
      for (String tracker : order) {
        runTracker(tracker, round, dir);
      }
    }
    String report = report(ceiling);
    System.out.println(report);
    Files.writeString(dir.resolve("results.md"), report);
    writeJson(dir.resolve("results.json"), ceiling);
    chart(dir.resolve("throughput.png"), ceiling);
    log("wrote " + dir.resolve("results.md") + ", results.json, throughput.png");
    return 0;
  }

  private UdpLoad.Options loadOptions(
      List<InetSocketAddress> target, int window, boolean populate, double warm) {
    return new UdpLoad.Options(
        target,
        window,
        scenario.sources,
        scenario.sourceBase,
        warm,
        duration,
        1000,
        populate,
        false,
        1.0,
        60,
        0);
  }

  private int largestWindow() {
    return windows.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  private List<String> pinned(List<String> command) {
    List<String> c = new ArrayList<>(List.of("taskset", "-c", Integer.toString(trackerCpu)));
    c.addAll(command);
    return c;
  }

  private double responderCeiling(Path dir) throws Exception {
    String self =
        Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    List<String> cmd =
        nativeResponder != null
            ? pinned(
                List.of(
                    Path.of(nativeResponder).toAbsolutePath().toString(), Integer.toString(port)))
            : pinned(
                List.of(
                    javaCommand,
                    "-cp",
                    self,
                    LoadTest.class.getName(),
                    "responder",
                    "--bind",
                    "127.0.0.1:" + port));
    int top = largestWindow();
    try (TrackerProcess t =
        TrackerProcess.start(
            "responder",
            cmd,
            dir,
            dir.resolve("responder.log"),
            new InetSocketAddress("127.0.0.1", port))) {
      UdpLoad.Options o =
          new UdpLoad.Options(
              List.of(t.address),
              top,
              scenario.sources,
              scenario.sourceBase,
              3,
              Math.min(10, duration),
              1000,
              false,
              false,
              1.0,
              60,
              0);
      LoadStats s = new UdpLoad(o, scenario.scenario()).run();
      log(
          String.format(
              Locale.ROOT,
              "generator ceiling (trivial %s responder on CPU %d, window %d): %,.0f responses/s",
              nativeResponder != null ? "C" : "JVM",
              trackerCpu,
              top,
              s.responsesPerSecond()));
      return s.responsesPerSecond();
    }
  }

  /**
   * The benchmark simulates a million peers from 16 loopback addresses, far past the per-address
   * caps that protect a public node, so swarmkeeper runs without any cap on state (0 = none).
   */
  static final List<String> NO_STATE_LIMITS =
      List.of(
          "--set", "limits.max-swarms=0",
          "--set", "limits.max-peers=0",
          "--set", "limits.max-peers-per-swarm=0",
          "--set", "limits.max-swarms-per-address=0",
          "--set", "limits.max-peers-per-address=0");

  private void runTracker(String tracker, int round, Path dir) throws Exception {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
    List<String> cmd;
    if (tracker.equals("swarmkeeper") || tracker.contains("=")) {
      // LABEL=JAR [JVM ARGS...]: that jar, with these JVM flags after --jvm-args.
      List<String> spec =
          tracker.contains("=")
              ? Arrays.asList(tracker.substring(tracker.indexOf('=') + 1).trim().split("\\s+"))
              : List.of(swarmkeeper);
      String jar = spec.get(0);
      int dashes = spec.indexOf("--");
      List<String> jvmFlags = spec.subList(1, dashes < 0 ? spec.size() : dashes);
      List<String> nodeArgs = dashes < 0 ? List.of() : spec.subList(dashes + 1, spec.size());
      List<String> c = new ArrayList<>();
      if (jar.endsWith(".jar")) {
        c.add(javaCommand);
        c.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")));
        c.addAll(jvmFlags);
        c.addAll(List.of("-jar", Path.of(jar).toAbsolutePath().toString()));
        c.addAll(List.of("--event-loops", "1"));
      } else {
        // A launcher (bin/swarmkeeper): its own JVM settings and event loops, as an operator
        // runs it; the flags, if any, go in SWARMKEEPER_OPTS.
        c.addAll(List.of("env", "SWARMKEEPER_OPTS=" + String.join(" ", jvmFlags)));
        c.add(Path.of(jar).toAbsolutePath().toString());
      }
      c.addAll(List.of("--host", "127.0.0.1", "--udp-port", Integer.toString(port)));
      c.addAll(NO_STATE_LIMITS);
      c.addAll(nodeArgs);
      cmd = pinned(c);
    } else if (tracker.equals("opentracker")) {
      cmd = pinned(List.of(opentracker, "-f", dir.resolve("opentracker.conf").toString()));
    } else {
      throw new IllegalArgumentException("unknown tracker " + tracker);
    }
    Path logFile = dir.resolve(tracker.replaceAll("=.*", "") + "-round" + round + ".log");
    try (TrackerProcess t = TrackerProcess.start(tracker, cmd, dir, logFile, address)) {
      long idle = t.statusKib("VmRSS");
      long heapIdle = t.heapUsedAfterGcKib();
      Scenario s = scenario.scenario();
      // Every peer announces once, then load at the largest window warms the tracker up; not
      // measured. First for half of the peers, then for all, so the second half's memory is the
      // peers' and not the warm-up's (JIT, young generation).
      UdpLoad.Options warm =
          new UdpLoad.Options(
              List.of(address),
              largestWindow(),
              scenario.sources,
              scenario.sourceBase,
              0,
              warmup,
              1000,
              true,
              false,
              1.0,
              60,
              0);
      Scenario half = s.limitedTo(s.peers / 2);
      new UdpLoad(warm, half).run();
      long halfRss = t.statusKib("VmRSS");
      long heapHalf = t.heapUsedAfterGcKib();
      LoadStats w = new UdpLoad(warm, s).run();
      long populated = t.statusKib("VmRSS");
      long heapPopulated = t.heapUsedAfterGcKib();
      memory.add(
          new Memory(
              tracker,
              round,
              idle,
              halfRss,
              populated,
              0,
              half.peers,
              s.peers,
              heapIdle,
              heapHalf,
              heapPopulated));
      log(
          String.format(
              Locale.ROOT,
              "%s round %d: populated %,d peers; warm-up %,.0f responses/s;"
                  + " RSS %,d KiB idle, %,d KiB at half, %,d KiB populated;"
                  + " heap used after GC %,d -> %,d -> %,d KiB",
              tracker,
              round,
              s.peers,
              w.responsesPerSecond(),
              idle,
              halfRss,
              populated,
              heapIdle,
              heapHalf,
              heapPopulated));
      for (int window : windows) {
        LoadStats st = new UdpLoad(loadOptions(List.of(address), window, false, 1), s).run();
        points.add(new Point(tracker, round, window, st.toMap()));
        log(
            String.format(
                Locale.ROOT,
                "%s round %d window %d: %,.0f responses/s, p99 %.3f ms,"
                    + " invalid %,d, timeouts %,d, errors %,d",
                tracker,
                round,
                window,
                st.responsesPerSecond(),
                st.toMap().get("p99_ms"),
                st.invalid,
                st.timeouts,
                st.errorPackets));
        if (st.firstInvalid != null) {
          log("  first invalid: " + st.firstInvalid);
        }
      }
      double offered = latencyLoad * referencePeak();
      if (offered > 0) {
        // 5 s before measuring: the first fixed-rate run of this JVM also compiles the pacing
        // code, and a generator behind its schedule reads as tracker latency (opentracker, run
        // first, once showed a p99 of 26-67 ms with 1 s of warm-up, 1-2.5 ms in later rounds).
        LoadStats st =
            new UdpLoad(
                    loadOptions(List.of(address), largestWindow(), false, 5).withRate(offered), s)
                .run();
        Map<String, Object> m = new LinkedHashMap<>(st.toMap());
        m.put("offered_per_s", Math.round(offered));
        points.add(new Point(tracker, round, FIXED_RATE, m));
        log(
            String.format(
                Locale.ROOT,
                "%s round %d fixed rate %,.0f requests/s: %,.0f responses/s, p50 %.3f ms,"
                    + " p99 %.3f ms, p99.9 %.3f ms, timeouts %,d",
                tracker,
                round,
                offered,
                st.responsesPerSecond(),
                m.get("p50_ms"),
                m.get("p99_ms"),
                m.get("p999_ms"),
                st.timeouts));
      }
      long peak = t.statusKib("VmHWM");
      memory.add(memory.remove(memory.size() - 1).withPeak(peak));
    }
  }

  /** The median over the reference's runs so far of each run's best window; NaN before any. */
  private double referencePeak() {
    String reference = trackers.get(trackers.size() - 1);
    Map<Integer, Double> best = new LinkedHashMap<>();
    for (Point p : points) {
      if (p.tracker().equals(reference) && p.window() != FIXED_RATE) {
        best.merge(p.round(), p.rate(), Math::max);
      }
    }
    return best.isEmpty() ? Double.NaN : median(new ArrayList<>(best.values()));
  }

  private static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (a.length == 0) {
      return Double.NaN;
    }
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private double medianRate(String tracker, int window) {
    return median(
        points.stream()
            .filter(p -> p.tracker().equals(tracker) && p.window() == window)
            .map(Point::rate)
            .toList());
  }

  private double medianP99(String tracker, int window) {
    return median(
        points.stream()
            .filter(p -> p.tracker().equals(tracker) && p.window() == window)
            .map(Point::p99)
            .toList());
  }

  private double medianMemory(String tracker, java.util.function.ToDoubleFunction<Memory> f) {
    return median(
        memory.stream()
            .filter(m -> m.tracker().equals(tracker))
            .map(m -> f.applyAsDouble(m))
            .toList());
  }

  private long invalid(String tracker) {
    return points.stream()
        .filter(p -> p.tracker().equals(tracker))
        .mapToLong(p -> ((Number) p.stats().get("invalid")).longValue())
        .sum();
  }

  private String report(double ceiling) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%nMedians of %d rounds, %.0f s per window; tracker pinned to CPU %d, generator to another;"
                + " %,d peers in %,d swarms.%n",
            rounds,
            duration,
            trackerCpu,
            scenario.peers,
            scenario.swarms));
    if (!Double.isNaN(ceiling)) {
      sb.append(
          String.format(
              Locale.ROOT,
              "Generator ceiling (a trivial responder, no tracker logic, on the tracker's CPU):"
                  + " %,.0f responses/s.%n",
              ceiling));
    }
    sb.append(
        "\n| tracker | window | responses/s | p99 ms | timeouts (requests dropped) |"
            + " invalid answers |\n|---|---|---|---|---|---|\n");
    for (String t : trackers) {
      for (int w : windows) {
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %,.0f | %.3f | %,.0f | %,.0f |%n",
                t,
                w,
                medianRate(t, w),
                medianP99(t, w),
                medianOf(t, w, "timeouts"),
                medianOf(t, w, "invalid")));
      }
    }
    boolean fixed = points.stream().anyMatch(p -> p.window() == FIXED_RATE);
    if (fixed) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%nFixed offered load, the same for every tracker: %.0f %% of %s's median peak,"
                  + " requests sent on a schedule, latency from each request's scheduled time.%n"
                  + "%n| tracker | offered requests/s | responses/s | p50 ms | p99 ms | p99.9 ms |"
                  + " timeouts |%n|---|---|---|---|---|---|---|%n",
              latencyLoad * 100,
              trackers.get(trackers.size() - 1)));
      for (String t : trackers) {
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %,.0f | %,.0f | %.3f | %.3f | %.3f | %,.0f |%n",
                t,
                medianOf(t, FIXED_RATE, "offered_per_s"),
                medianRate(t, FIXED_RATE),
                medianOf(t, FIXED_RATE, "p50_ms"),
                medianP99(t, FIXED_RATE),
                medianOf(t, FIXED_RATE, "p999_ms"),
                medianOf(t, FIXED_RATE, "timeouts")));
      }
    }
    sb.append(
        "\n| tracker | peak responses/s | at window | p99 ms at the reference's knee window |"
            + " idle RSS MiB | peak RSS MiB | RSS bytes per stored peer, whole population |"
            + " RSS bytes per stored peer, second half | heap-used bytes per stored peer, second"
            + " half | invalid answers |\n|---|---|---|---|---|---|---|---|---|---|\n");
    String reference = trackers.get(trackers.size() - 1);
    int refPeak = kneeWindow(reference);
    Map<String, double[]> summary = new LinkedHashMap<>();
    for (String t : trackers) {
      int pw = peakWindow(t);
      double[] v = {
        medianRate(t, pw),
        medianP99(t, refPeak),
        medianMemory(t, m -> m.idleKib() / 1024.0),
        medianMemory(t, m -> m.peakKib() / 1024.0),
        medianMemory(t, Memory::bytesPerPeer),
        medianMemory(t, Memory::heapSlopeBytesPerPeer),
        medianP99(t, FIXED_RATE),
        medianMemory(t, Memory::slopeBytesPerPeer)
      };
      summary.put(t, v);
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %d | %.3f | %.0f | %.0f | %.1f | %.1f | %s | %,d |%n",
              t,
              v[0],
              pw,
              v[1],
              v[2],
              v[3],
              v[4],
              v[7],
              Double.isNaN(v[5]) ? "n/a (not a JVM)" : String.format(Locale.ROOT, "%.1f", v[5]),
              invalid(t)));
    }
    if (trackers.size() == 2) {
      double[] a = summary.get(trackers.get(0));
      double[] b = summary.get(reference);
      sb.append(
          String.format(
              Locale.ROOT,
              "%nRatios %s / %s: throughput at peak %.2f x;%s p99 at %s's knee window (%d in"
                  + " flight) %.2f x; peak RSS %.2f x; RSS per stored peer %.2f x (second half of"
                  + " the population), %.2f x (whole population)%s.%n",
              trackers.get(0),
              reference,
              a[0] / b[0],
              fixed
                  ? String.format(
                      Locale.ROOT,
                      " p99 at the fixed load of %.0f %% of %s's peak %.2f x;",
                      latencyLoad * 100,
                      reference,
                      a[6] / b[6])
                  : "",
              reference,
              refPeak,
              a[1] / b[1],
              a[3] / b[3],
              a[7] / b[7],
              a[4] / b[4],
              Double.isNaN(a[5])
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      "; heap used per stored peer (second half) / %s's RSS per stored peer"
                          + " (second half) %.2f x",
                      reference,
                      a[5] / b[7])));
    }
    return sb.toString();
  }

  /**
   * The reference's peak load: the smallest window at which it reaches 97 % of its best throughput.
   * Beyond it more requests in flight only queue (or, for a tracker with a small socket buffer, are
   * dropped, which flatters its latency: a dropped request has none).
   */
  private int kneeWindow(String tracker) {
    double best = medianRate(tracker, peakWindow(tracker));
    for (int w : windows) {
      if (medianRate(tracker, w) >= 0.97 * best) {
        return w;
      }
    }
    return peakWindow(tracker);
  }

  private double medianOf(String tracker, int window, String field) {
    return median(
        points.stream()
            .filter(p -> p.tracker().equals(tracker) && p.window() == window)
            .map(p -> ((Number) p.stats().get(field)).doubleValue())
            .toList());
  }

  private int peakWindow(String tracker) {
    int best = windows.get(0);
    for (int w : windows) {
      if (medianRate(tracker, w) > medianRate(tracker, best)) {
        best = w;
      }
    }
    return best;
  }

  private void writeJson(Path file, double ceiling) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"ceiling_responses_per_s\":")
        .append(Double.isNaN(ceiling) ? "null" : ceiling)
        .append(",\"points\":[");
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tracker", p.tracker());
      m.put("round", p.round());
      m.put("window", p.window());
      m.putAll(p.stats());
      sb.append(i > 0 ? "," : "").append(LoadStats.toJson(m));
    }
    sb.append("],\"memory\":[");
    for (int i = 0; i < memory.size(); i++) {
      Memory m = memory.get(i);
      Map<String, Object> mm = new LinkedHashMap<>();
      mm.put("tracker", m.tracker());
      mm.put("round", m.round());
      mm.put("idle_kib", m.idleKib());
      mm.put("half_kib", m.halfKib());
      mm.put("half_peers", m.halfPeers());
      mm.put("populated_kib", m.populatedKib());
      mm.put("peak_kib", m.peakKib());
      mm.put("peers", m.peers());
      mm.put("bytes_per_peer", Math.round(m.bytesPerPeer() * 10) / 10.0);
      mm.put("second_half_bytes_per_peer", Math.round(m.slopeBytesPerPeer() * 10) / 10.0);
      mm.put("heap_idle_kib", m.heapIdleKib());
      mm.put("heap_half_kib", m.heapHalfKib());
      mm.put("heap_populated_kib", m.heapPopulatedKib());
      sb.append(i > 0 ? "," : "").append(LoadStats.toJson(mm));
    }
    Files.writeString(file, sb.append("]}\n"));
  }

  private void chart(Path file, double ceiling) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(500)
            .title("UDP announces+scrapes on one tracker core (medians of " + rounds + " rounds)")
            .xAxisTitle("requests in flight")
            .yAxisTitle("responses per second")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(0.0);
    double[] x = windows.stream().mapToDouble(Integer::doubleValue).toArray();
    for (String t : trackers) {
      double[] y = windows.stream().mapToDouble(w -> medianRate(t, w)).toArray();
      chart.addSeries(t, x, y);
    }
    if (!Double.isNaN(ceiling)) {
      double[] y = new double[x.length];
      Arrays.fill(y, ceiling);
      chart.addSeries("generator ceiling (trivial responder)", x, y);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static void log(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
