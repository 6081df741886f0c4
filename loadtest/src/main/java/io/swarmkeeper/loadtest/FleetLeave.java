package io.swarmkeeper.loadtest;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How long a graceful leave takes: a fleet holding the population, then SIGTERM to one member;
 * reports the time until it exits, its exit code, and whether the members left count every peer.
 */
@Command(
    name = "fleet-leave",
    mixinStandardHelpOptions = true,
    description =
        "Populate a fleet, SIGTERM one member, time its exit and check that the others count every"
            + " peer. Run it pinned to a CPU other than --tracker-cpu (loadtest/bench-fleet.sh"
            + " does).")
final class FleetLeave implements Callable<Integer> {
  @Mixin LoadTest.ScenarioOptions scenario = new LoadTest.ScenarioOptions();
  @Mixin NodeLaunchOptions nodes = new NodeLaunchOptions();

  @Option(names = "--rounds", description = "Default ${DEFAULT-VALUE}.")
  int rounds = 1;

  @Option(
      names = "--populate-window",
      description = "Requests in flight while populating (default ${DEFAULT-VALUE}).")
  int populateWindow = 256;

  @Option(
      names = "--count-seconds",
      description =
          "Longest wait for the fleet to count every peer, before and after the leave (members"
              + " publish their counts about every 10 s; default ${DEFAULT-VALUE}).")
  int countSeconds = 120;

  @Option(
      names = "--leave-seconds",
      description =
          "Longest wait for the member to exit (the node allows itself 330 s; default"
              + " ${DEFAULT-VALUE}).")
  int leaveSeconds = 400;

  @Option(names = "--out", description = "Results folder (default ${DEFAULT-VALUE}).")
  String out = "loadtest/results";

  /** One leave: what was stored, how long the member took to go, what the others count then. */
  record Leave(
      int round,
      int peers,
      double populateSeconds,
      long populateTimeouts,
      long countedBefore,
      double leaveSeconds,
      Integer exitCode,
      long countedAfter,
      double countAfterSeconds,
      int membersAfter,
      boolean survivorsReady) {
    /** The members left count what the fleet counted before the leave. */
    boolean allCounted() {
      return countedAfter == countedBefore;
    }
  }

  private final List<Leave> leaves = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (nodes.members < 2) {
      throw new IllegalArgumentException("--members must be at least 2, got " + nodes.members);
    }
    Path dir = Path.of(out).toAbsolutePath();
    Files.createDirectories(dir);
    FleetBench.spreadSources(scenario, nodes.members);
    FleetBench.log(
        String.format(
            Locale.ROOT,
            "fleet leave: %d members on CPU %d, backup count %d; %,d peers in %,d swarms; %d"
                + " round(s); java %s",
            nodes.members,
            nodes.trackerCpu,
            nodes.backupCount,
            scenario.peers,
            scenario.swarms,
            rounds,
            System.getProperty("java.version")));
    FleetBench.log("reproduce: " + commandLine());
    for (int round = 1; round <= rounds; round++) {
      leaves.add(leave(round, dir));
    }
    String report = report();
    System.out.println(report);
    Files.writeString(dir.resolve("fleet-leave.md"), report);
    Files.writeString(
        dir.resolve("fleet-leave.json"),
        LoadStats.toJson("leaves", leaves.stream().map(FleetLeave::toMap).toList()));
    FleetBench.log("wrote " + dir.resolve("fleet-leave.md") + " and fleet-leave.json");
    return leaves.stream().allMatch(l -> l.allCounted() && Integer.valueOf(0).equals(l.exitCode()))
        ? 0
        : 1;
  }

  String commandLine() {
    return String.format(
        Locale.ROOT,
        "loadtest/bench-fleet.sh leave --members %d --rounds %d --peers %d --swarms %d"
            + " --backup-count %d --jvm-args '%s'",
        nodes.members,
        rounds,
        scenario.peers,
        scenario.swarms,
        nodes.backupCount,
        nodes.jvmArgs);
  }

  private Leave leave(int round, Path dir) throws Exception {
    try (NodeProcesses fleet = NodeProcesses.fleet(nodes, dir, "leave-round" + round)) {
      FleetBench.log("round " + round + ": " + nodes.members + " members ready");
      Scenario s = scenario.scenario();
      long start = System.nanoTime();
      LoadStats populated =
          FleetBench.populate(fleet.udpAddresses(), populateWindow, scenario, s, null);
      double populateSeconds = (System.nanoTime() - start) / 1e9;
      int peers = s.activePeers();
      JsonObject before = fleet.awaitPeers(0, nodes.members, peers, countSeconds);
      long counted = before.getLong("peers");
      FleetBench.log(
          String.format(
              Locale.ROOT,
              "  the fleet counts %,d peers; the generator's announces leave %,d",
              counted,
              peers));
      int leaver = nodes.members - 1;
      TrackerProcess member = fleet.node(leaver);
      long sent = System.nanoTime();
      member.process.destroy(); // SIGTERM
      boolean exited = member.process.waitFor(leaveSeconds, TimeUnit.SECONDS);
      double leaveTime = (System.nanoTime() - sent) / 1e9;
      Integer exit = exited ? member.process.exitValue() : null;
      FleetBench.log(
          String.format(
              Locale.ROOT,
              "  member %d %s %.2f s after SIGTERM%s",
              leaver + 1,
              exited ? "exited" : "still running",
              leaveTime,
              exited ? " with code " + exit : ""));
      long left = System.nanoTime();
      JsonObject after = fleet.awaitPeers(0, nodes.members - 1, counted, countSeconds);
      double countTime = (System.nanoTime() - left) / 1e9;
      boolean ready = true;
      for (int i = 0; i < nodes.members - 1; i++) {
        ready &= fleet.isReady(i);
      }
      Leave l =
          new Leave(
              round,
              peers,
              populateSeconds,
              populated.timeouts,
              counted,
              leaveTime,
              exit,
              after.getLong("peers"),
              countTime,
              after.getJsonArray("members").size(),
              ready);
      FleetBench.log(
          String.format(
              Locale.ROOT,
              "  %d members left count %,d peers (%s), %.1f s after the exit; all ready: %s",
              l.membersAfter(),
              l.countedAfter(),
              l.allCounted() ? "all of them" : "before the leave: " + counted,
              countTime,
              ready));
      FleetBench.log("  the fleet as member 1 sees it: " + after.encode());
      return l;
    }
  }

  private static Map<String, Object> toMap(Leave l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("round", l.round());
    m.put("peers", l.peers());
    m.put("populate_seconds", Math.round(l.populateSeconds() * 10) / 10.0);
    m.put("populate_timeouts", l.populateTimeouts());
    m.put("counted_before", l.countedBefore());
    m.put("leave_seconds", Math.round(l.leaveSeconds() * 1000) / 1000.0);
    m.put("exit_code", l.exitCode());
    m.put("counted_after", l.countedAfter());
    m.put("count_after_seconds", Math.round(l.countAfterSeconds() * 10) / 10.0);
    m.put("members_after", l.membersAfter());
    m.put("survivors_ready", l.survivorsReady());
    return m;
  }

  String report() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%nGraceful leave: a fleet of %d members (backup count %d, JVM flags %s), all on CPU"
                + " %d, holding %,d peers in %,d swarms; SIGTERM to member %d, no load meanwhile.%n"
                + "%n| round | peers announced (generator) | the fleet counted | SIGTERM to exit, s |"
                + " exit code | members left | they count | counted after the exit within, s |"
                + " all ready |%n"
                + "|---|---|---|---|---|---|---|---|---|%n",
            nodes.members,
            nodes.backupCount,
            nodes.jvmArgs,
            nodes.trackerCpu,
            scenario.peers,
            scenario.swarms,
            nodes.members));
    for (Leave l : leaves) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %d | %,d | %,d | %.2f | %s | %d | %,d | %.1f | %s |%n",
              l.round(),
              l.peers(),
              l.countedBefore(),
              l.leaveSeconds(),
              l.exitCode() == null ? "still running" : l.exitCode().toString(),
              l.membersAfter(),
              l.countedAfter(),
              l.countAfterSeconds(),
              l.survivorsReady() ? "yes" : "no"));
    }
    for (Leave l : leaves) {
      if (l.countedBefore() != l.peers()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%nRound %d: before the leave the fleet counted %,d peers where the generator's"
                    + " answered announces leave %,d (%+,d).%n",
                l.round(),
                l.countedBefore(),
                l.peers(),
                l.countedBefore() - l.peers()));
      }
    }
    sb.append("\nCommand: `").append(commandLine()).append("`\n");
    return sb.toString();
  }
}
