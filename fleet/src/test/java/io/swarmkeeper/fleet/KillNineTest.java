package io.swarmkeeper.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A member killed with SIGKILL under load: its backups on the others take over and not one swarm is
 * lost or changed.
 */
class KillNineTest {
  private static final int SWARMS = 3000;
  private static final int PEERS = 3;

  /** Announces per second of the load: a round over every loud peer takes about 1.3 s. */
  private static final int LOAD_PER_SECOND = 4500;

  /** The survivors carry the load at least this long after the kill. */
  private static final long AFTER_KILL_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Hazelcast declares the dead member so after 5 s without heartbeat; this is plenty. */
  private static final long RECOVERY_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

  @Test
  void theSurvivorsServeEverySwarmExactlyAfterAKill9UnderLoad() throws Exception {
    long launch = System.nanoTime();
    try (Fleet fleet = new Fleet(3);
        UdpTrackerClient client = new UdpTrackerClient(1000, 5, 256)) {
      FleetReport.line("kill-9: 3 nodes ready in %d ms", (System.nanoTime() - launch) / 1_000_000);
      List<Integer> all = Fleet.udpPorts(fleet.alive());
      KnownSwarms swarms = new KnownSwarms(SWARMS, PEERS);
      long id = client.connect(all.get(0));
      long populate = System.nanoTime();
      swarms.populate(client, id, all);
      FleetReport.line(
          "kill-9: %d swarms x %d peers announced over 3 nodes in %d ms",
          SWARMS, PEERS, (System.nanoTime() - populate) / 1_000_000);
      KnownSwarms.assertNone(
          swarms.verifyScrapes(client, id, all.get(0)),
          "the scrape of every swarm on node1 once they were announced, before any kill");

      FleetNode victim = fleet.node(2);
      List<FleetNode> survivors = List.of(fleet.node(0), fleet.node(1));
      AnnounceLoad.Counts window;
      long recovery;
      long killedAt;
      try (AnnounceLoad load = new AnnounceLoad(swarms, all, LOAD_PER_SECOND)) {
        while (load.counts().sent() < SWARMS * (PEERS - 1)) {
          Thread.sleep(100); // one whole round over the three nodes first
        }
        AnnounceLoad.Counts before = load.counts();
        assertThat(before.answered()).as("before the kill: %s", before).isEqualTo(before.sent());
        KnownSwarms.assertNone(
            swarms.verifyScrapes(client, id, all.get(0)),
            "the scrape of every swarm on node1 under load, just before the kill");

        load.target(Fleet.udpPorts(survivors));
        load.markFailover();
        killedAt = System.nanoTime();
        victim.kill9();
        assertThat(victim.awaitExit(10))
            .as("exit code of a process killed by SIGKILL")
            .isEqualTo(137);

        while (System.nanoTime() - killedAt < AFTER_KILL_NANOS
            || (load.recoveryMillis() < 0 && System.nanoTime() - killedAt < RECOVERY_LIMIT_NANOS)) {
          Thread.sleep(200);
        }
        recovery = load.recoveryMillis();
        int unrecovered = load.unrecovered();
        window = load.stop().minus(before);
        FleetReport.line(
            "kill-9: failover window (kill until the load stopped, %d ms): %s",
            (System.nanoTime() - killedAt) / 1_000_000, window);
        FleetReport.line(
            "kill-9: backups serving: every swarm answered by the survivors %d ms after kill -9%s"
                + " (a round of the load over all swarms takes %d ms); slowest answer %s",
            recovery,
            recovery < 0 ? " -- NOT REACHED, " + unrecovered + " swarms never answered again" : "",
            1000L * SWARMS * (PEERS - 1) / LOAD_PER_SECOND,
            load.slowest());
      }
      assertThat(recovery).as("every swarm answered again after the kill").isNotNegative();

      fleet.awaitReady(60);
      FleetReport.line(
          "kill-9: survivors /ready (cluster safe again) %d ms after kill -9",
          (System.nanoTime() - killedAt) / 1_000_000);
      for (FleetNode n : survivors) {
        JsonObject view = n.fleet();
        FleetReport.line(
            "kill-9: %s counts: outstanding %d, overloaded %d, timed-out %d, failed %d",
            n.name(),
            view.getInteger("outstanding"),
            view.getLong("overloaded"),
            view.getLong("timed-out"),
            view.getLong("failed"));
      }

      // Scrapes first: the fresh peers' check below passes through every swarm, and a sweep pass
      // meanwhile would count them.
      for (FleetNode n : survivors) {
        KnownSwarms.assertNone(
            swarms.verifyScrapes(client, id, n.ports().udp()),
            "the scrape of every swarm on " + n.name() + " after the kill");
      }
      long published = System.nanoTime();
      JsonObject view = fleet.awaitPublishedCounts(survivors.get(0), 2, SWARMS, SWARMS * PEERS, 60);
      FleetReport.line(
          "kill-9: the survivors published exact counts %d ms later: %s",
          (System.nanoTime() - published) / 1_000_000, FleetView.shares(view));
      for (int i = 0; i < survivors.size(); i++) {
        FleetNode n = survivors.get(i);
        KnownSwarms.assertNone(
            swarms.verifyFreshPeer(client, id, n.ports().udp(), i),
            "a fresh peer in every swarm on " + n.name() + " after the kill");
      }
      FleetReport.line(
          "kill-9: all %d swarms exact on both survivors (scrape, published counts, fresh peer)",
          SWARMS);
    }
  }
}
