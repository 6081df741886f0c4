package io.swarmkeeper.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Members leaving on SIGTERM hand their partitions over first: one leaving under load, then every
 * member restarted in turn, and nothing lost; then the swarms spread evenly over the members. The
 * steps share one fleet and run in order, each leaving three members up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GracefulLeaveTest {
  private static final int SWARMS = 3000;
  private static final int PEERS = 3;
  private static final int LOAD_PER_SECOND = 4500;

  /** Lighter during the rolling restart: the restarting JVMs share the two cores with it. */
  private static final int ROLLING_LOAD_PER_SECOND = 1500;

  /** The many small swarms whose spread over the members is measured. */
  private static final int SPREAD_SWARMS = 30_000;

  private static Fleet fleet;
  private static UdpTrackerClient client;
  private static KnownSwarms swarms;
  private static long connectionId;

  @BeforeAll
  static void startFleetWithSwarms() throws Exception {
    long start = System.nanoTime();
    fleet = new Fleet(3);
    FleetReport.line("graceful: 3 nodes ready in %d ms", (System.nanoTime() - start) / 1_000_000);
    client = new UdpTrackerClient(1000, 5, 256);
    swarms = new KnownSwarms(SWARMS, PEERS);
    connectionId = client.connect(fleet.node(0).ports().udp());
    swarms.populate(client, connectionId, Fleet.udpPorts(fleet.alive()));
  }

  @AfterAll
  static void stopFleet() {
    if (client != null) {
      client.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private static void assumeThreeUp() {
    assumeTrue(fleet.alive().size() == 3, "an earlier step left the fleet short of a member");
  }

  /** SIGTERM, then the exit code, then the time it took to leave in ms. */
  private static long leave(FleetNode node) throws Exception {
    long start = System.nanoTime();
    node.terminate();
    assertThat(node.awaitExit(120))
        .as("exit code of %s after SIGTERM%s", node.name(), node.tail())
        .isZero();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static void verifyEverySwarm(String when) throws Exception {
    List<FleetNode> up = fleet.alive();
    for (int i = 0; i < up.size(); i++) {
      FleetNode n = up.get(i);
      KnownSwarms.assertNone(
          swarms.verify(client, connectionId, n.ports().udp(), i),
          "every swarm on " + n.name() + " " + when);
    }
  }

  @Test
  @Order(1)
  void aMemberLeavingOnSigtermUnderLoadExitsZeroAndLosesNothing() throws Exception {
    assumeThreeUp();
    FleetNode leaving = fleet.node(2);
    KnownSwarms.assertNone(
        swarms.verifyScrapes(client, connectionId, fleet.node(0).ports().udp()),
        "the scrape of every swarm on node1 once they were announced, before any leave");
    AnnounceLoad.Counts window;
    long leftIn;
    try (AnnounceLoad load =
        new AnnounceLoad(swarms, Fleet.udpPorts(fleet.alive()), LOAD_PER_SECOND)) {
      while (load.counts().sent() < SWARMS * (PEERS - 1)) {
        Thread.sleep(100);
      }
      AnnounceLoad.Counts before = load.counts();
      assertThat(before.answered()).as("before the leave: %s", before).isEqualTo(before.sent());
      KnownSwarms.assertNone(
          swarms.verifyScrapes(client, connectionId, fleet.node(0).ports().udp()),
          "the scrape of every swarm on node1 under load, just before the leave");
      load.target(Fleet.udpPorts(List.of(fleet.node(0), fleet.node(1))));
      load.markFailover();
      leftIn = leave(leaving);
      Thread.sleep(1000); // the survivors alone a while
      window = load.stop().minus(before);
      FleetReport.line(
          "graceful: SIGTERM of %s under load: exit 0 after %d ms; load during leave: %s;"
              + " every swarm answered after its last failure %d ms after the signal",
          leaving.name(), leftIn, window, load.recoveryMillis());
    }
    verifyEverySwarm("after " + leaving.name() + " left");

    // Back to three for the next steps; the rolling restart's check covers this join too.
    long start = System.nanoTime();
    fleet.restart(2);
    fleet.awaitReady(90);
    FleetReport.line(
        "graceful: %s back on its ports, all ready in %d ms",
        leaving.name(), (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  @Order(2)
  void aRollingRestartUnderLoadLosesNothing() throws Exception {
    assumeThreeUp();
    List<String> steps = new ArrayList<>();
    AnnounceLoad.Counts total;
    String slowest;
    long start = System.nanoTime();
    try (AnnounceLoad load =
        new AnnounceLoad(swarms, Fleet.udpPorts(fleet.alive()), ROLLING_LOAD_PER_SECOND)) {
      load.markFailover();
      for (int i = 0; i < 3; i++) {
        FleetNode node = fleet.node(i);
        List<FleetNode> others = new ArrayList<>(fleet.alive());
        others.remove(node);
        load.target(Fleet.udpPorts(others));
        AnnounceLoad.Counts before = load.counts();
        long leftIn = leave(node);
        AnnounceLoad.Counts duringLeave = load.counts().minus(before);
        AnnounceLoad.Counts afterLeave = load.counts();
        long restart = System.nanoTime();
        fleet.restart(i);
        long startedIn = (System.nanoTime() - restart) / 1_000_000;
        long readyIn = fleet.awaitReady(90);
        AnnounceLoad.Counts duringJoin = load.counts().minus(afterLeave);
        load.target(Fleet.udpPorts(fleet.alive()));
        steps.add(
            String.format(
                java.util.Locale.ROOT,
                "%s: left in %d ms (load meanwhile: %s); started in %d ms, all ready %d ms later"
                    + " (load meanwhile: %s)",
                node.name(),
                leftIn,
                duringLeave,
                startedIn,
                readyIn,
                duringJoin));
      }
      total = load.stop();
      slowest = load.slowest();
    }
    FleetReport.line(
        "graceful: rolling restart of 3 members in %d ms; load over it: %s; slowest answer %s",
        (System.nanoTime() - start) / 1_000_000, total, slowest);
    for (String step : steps) {
      FleetReport.line("graceful:   %s", step);
    }
    for (FleetNode n : fleet.alive()) {
      JsonObject view = n.fleet();
      FleetReport.line(
          "graceful:   %s's store since its restart: timed-out (3 s) %d, failed %d, overloaded %d",
          n.name(), view.getLong("timed-out"), view.getLong("failed"), view.getLong("overloaded"));
    }
    verifyEverySwarm("after the rolling restart");
  }

  @Test
  @Order(3)
  void thirtyThousandSwarmsSpreadEvenlyOverTheMembers() throws Exception {
    assumeThreeUp();
    KnownSwarms many = new KnownSwarms(SPREAD_SWARMS, 1);
    connectionId = client.connect(fleet.node(0).ports().udp());
    long start = System.nanoTime();
    many.populate(client, connectionId, Fleet.udpPorts(fleet.alive()));
    long populated = (System.nanoTime() - start) / 1_000_000;
    // Scrapes only: with one peer a swarm, a fresh peer would be handed just that one.
    long check = System.nanoTime();
    KnownSwarms.assertNone(
        many.verifyScrapes(client, connectionId, fleet.node(1).ports().udp()),
        "the scrape of every swarm on node2");
    long checked = (System.nanoTime() - check) / 1_000_000;
    long swarmsExpected = SWARMS + SPREAD_SWARMS;
    long wait = System.nanoTime();
    // The swarms alone: their peers were checked by the steps before.
    JsonObject view = fleet.awaitPublishedSwarms(fleet.node(0), 3, swarmsExpected, 60);
    FleetReport.line(
        "graceful: %d swarms announced (pipelined) in %d ms (%.0f/s), each scraped on node2 in"
            + " %d ms; the swarm counts published %d ms later: %s",
        SPREAD_SWARMS,
        populated,
        SPREAD_SWARMS * 1000.0 / populated,
        checked,
        (System.nanoTime() - wait) / 1_000_000,
        FleetView.shares(view));
    for (Object o : view.getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      assertThat(FleetView.share(view, m))
          .as("share of %s: %s", m.getString("address"), FleetView.shares(view))
          .isBetween(0.28, 0.38);
    }
    assertThat(view.getLong("swarms")).as("the fleet's count on node1").isEqualTo(swarmsExpected);
  }
}
