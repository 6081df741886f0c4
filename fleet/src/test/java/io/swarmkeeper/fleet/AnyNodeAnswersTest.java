package io.swarmkeeper.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.udp.UdpResponse;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three nodes, one fleet: whichever node a client asks, it sees the same swarms. */
class AnyNodeAnswersTest {
  private static Fleet fleet;
  private static UdpTrackerClient udp;
  private static final HttpTrackerClient http = new HttpTrackerClient();

  @BeforeAll
  static void startFleet() throws Exception {
    long start = System.nanoTime();
    fleet = new Fleet(3);
    FleetReport.line(
        "any-node: 3 nodes started and ready in %d ms", (System.nanoTime() - start) / 1_000_000);
    udp = new UdpTrackerClient(1000, 3, 128);
  }

  @AfterAll
  static void stopFleet() {
    if (udp != null) {
      udp.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private static int udpPort(int node) {
    return fleet.node(node).ports().udp();
  }

  private static int httpPort(int node) {
    return fleet.node(node).ports().http();
  }

  private static InfoHash randomHash() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return InfoHash.of(r.nextLong(), r.nextLong(), r.nextInt());
  }

  private static UdpResponse.Announced udpAnnounce(
      long connectionId, int node, InfoHash hash, int port, long left) throws Exception {
    UdpResponse r =
        udp.exchange(
            connectionId,
            udpPort(node),
            UdpTrackerClient.announce(hash, port, left, UdpTrackerClient.EVENT_STARTED));
    assertThat(r)
        .as("answer of node%d to the announce of port %d", node + 1, port)
        .isInstanceOf(UdpResponse.Announced.class);
    return (UdpResponse.Announced) r;
  }

  private static List<Integer> ports(UdpResponse.Announced a) {
    return a.peers().stream().map(PeerEndpoint::port).toList();
  }

  @Test
  void aPeerAnnouncedToNode1IsHandedOutByNodes2And3OverUdpAndHttp() throws Exception {
    InfoHash hash = randomHash();
    long id = udp.connect(udpPort(0));

    UdpResponse.Announced first = udpAnnounce(id, 0, hash, 7001, 0);
    assertThat(ports(first)).isEmpty();
    assertThat(first.seeders()).isEqualTo(1);
    assertThat(first.leechers()).isZero();

    // Every later peer is a leecher and is handed every peer before it, whichever node it asks.
    UdpResponse.Announced viaNode2 = udpAnnounce(id, 1, hash, 7002, 500);
    assertThat(ports(viaNode2)).containsExactly(7001);
    assertThat(viaNode2.seeders()).isEqualTo(1);
    assertThat(viaNode2.leechers()).isEqualTo(1);

    UdpResponse.Announced viaNode3 = udpAnnounce(id, 2, hash, 7003, 500);
    assertThat(ports(viaNode3)).containsExactlyInAnyOrder(7001, 7002);
    assertThat(viaNode3.seeders()).isEqualTo(1);
    assertThat(viaNode3.leechers()).isEqualTo(2);

    HttpTrackerClient.Announced httpNode2 = http.announce(httpPort(1), hash, 7004, 500);
    assertThat(httpNode2.peerPorts()).containsExactlyInAnyOrder(7001, 7002, 7003);
    assertThat(httpNode2.seeders()).isEqualTo(1);
    assertThat(httpNode2.leechers()).isEqualTo(3);

    HttpTrackerClient.Announced httpNode3 = http.announce(httpPort(2), hash, 7005, 500);
    assertThat(httpNode3.peerPorts()).containsExactlyInAnyOrder(7001, 7002, 7003, 7004);
    assertThat(httpNode3.seeders()).isEqualTo(1);
    assertThat(httpNode3.leechers()).isEqualTo(4);

    // And node 1 sees the peers that came in over HTTP on the others.
    UdpResponse.Announced back = udpAnnounce(id, 0, hash, 7006, 500);
    assertThat(ports(back)).containsExactlyInAnyOrder(7001, 7002, 7003, 7004, 7005);
  }

  @Test
  void aConnectionIdOfOneNodeIsAcceptedByTheOthers() throws Exception {
    InfoHash hash = randomHash();
    for (int issuer = 0; issuer < 3; issuer++) {
      long id = udp.connect(udpPort(issuer));
      int other = (issuer + 1) % 3;
      UdpResponse.Announced a = udpAnnounce(id, other, hash, 7100 + issuer, 0);
      assertThat(a.seeders())
          .as("id of node%d used on node%d", issuer + 1, other + 1)
          .isEqualTo(issuer + 1);
    }
    // The control: an id no node issued gets silence, so the answers above were no accident.
    try (UdpTrackerClient once = new UdpTrackerClient(500, 1, 1)) {
      long issued = udp.connect(udpPort(0));
      assertThat(
              once.exchange(
                  issued ^ 0x5A5A5A5AL,
                  udpPort(1),
                  UdpTrackerClient.announce(hash, 7199, 0, UdpTrackerClient.EVENT_STARTED)))
          .isNull();
    }
  }

  @Test
  void scrapesAgreeOnEveryNodeOverUdpAndHttp() throws Exception {
    KnownSwarms swarms = new KnownSwarms(60, 3);
    long id = udp.connect(udpPort(1));
    List<Integer> all = List.of(udpPort(0), udpPort(1), udpPort(2));
    swarms.populate(udp, id, all);
    for (int node = 0; node < 3; node++) {
      KnownSwarms.assertNone(
          swarms.verify(udp, id, udpPort(node), node), "every swarm on node" + (node + 1));
      for (int s = 0; s < swarms.count(); s++) {
        assertThat(http.scrape(httpPort(node), swarms.hash(s)))
            .as("node%d's HTTP scrape of swarm %d: seeders, leechers", node + 1, s)
            .containsExactly(swarms.seeders(), swarms.leechers());
      }
    }
  }

  @Test
  void everyNodeExportsTheFleetsMetrics() throws Exception {
    long id = udp.connect(udpPort(0));
    for (int node = 0; node < 3; node++) {
      udpAnnounce(id, node, randomHash(), 7100 + node, 100);
    }
    double partitions = 0;
    for (int node = 0; node < 3; node++) {
      FleetNode n = fleet.node(node);
      assertThat(n.metric("swarmkeeper_fleet_members")).as("node%d", node + 1).isEqualTo(3);
      partitions += n.metric("swarmkeeper_fleet_partitions_owned");
      assertThat(n.metric("swarmkeeper_fleet_calls_total")).isPositive();
      assertThat(n.metric("swarmkeeper_fleet_call_duration_seconds_count")).isPositive();
      assertThat(n.metric("swarmkeeper_fleet_dropped_total{reason=\"failed\"}")).isZero();
      assertThat(
              n.metric(
                  "swarmkeeper_requests_total{action=\"announce\",outcome=\"ok\",protocol=\"udp\"}"))
          .isPositive();
    }
    assertThat(partitions).as("partitions owned over the fleet").isEqualTo(271);
  }
}
