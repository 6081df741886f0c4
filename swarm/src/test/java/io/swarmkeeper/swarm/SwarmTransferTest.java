package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A swarm that leaves its process (a partition migrating, a backup copied) or meets its other half
 * (a healed network partition): nothing of its peers, times, roles or completions is lost.
 */
class SwarmTransferTest {
  private static final InfoHash H = InfoHash.fromHex("aabbccddeeff00112233445566778899aabbccdd");
  private static final int TIMEOUT = 100;

  private static AnnounceRequest announce(PeerEndpoint peer, AnnounceEvent event, long left) {
    return new AnnounceRequest(H, peer, event, left, 200);
  }

  private static Swarm copy(Swarm swarm) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    swarm.writeTo(new DataOutputStream(bytes));
    return Swarm.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }

  @Test
  void aCopyKeepsPeersRolesCompletionsAndAges() throws IOException {
    Swarm swarm = Swarm.create(H);
    for (int i = 0; i < 20; i++) { // past PeerTable.SMALL: the copy rebuilds the index too
      swarm.announce(
          announce(PeerEndpoint.ipv4(0x0A000000 + i, 6881), AnnounceEvent.STARTED, i % 3),
          1000 + i,
          TIMEOUT,
          0);
    }
    swarm.announce(
        announce(PeerEndpoint.ipv6(1L << 48, 7, 51413), AnnounceEvent.STARTED, 9),
        1000,
        TIMEOUT,
        0);
    swarm.announce(
        announce(PeerEndpoint.ipv4(0x0A000001, 6881), AnnounceEvent.COMPLETED, 0),
        1005,
        TIMEOUT,
        0);

    Swarm moved = copy(swarm);
    assertThat(moved.infoHash()).isEqualTo(H);
    assertThat(moved.statsAt(1010, TIMEOUT)).isEqualTo(swarm.statsAt(1010, TIMEOUT));
    assertThat(moved.statsAt(1010, TIMEOUT)).isEqualTo(new ScrapeStats(8, 1, 13));
    // A completion counted before the move is not counted again after it.
    moved.announce(
        announce(PeerEndpoint.ipv4(0x0A000001, 6881), AnnounceEvent.COMPLETED, 0),
        1011,
        TIMEOUT,
        0);
    assertThat(moved.statsAt(1011, TIMEOUT).completed()).isEqualTo(1);
    // Ages travel: at 1000 + TIMEOUT + 3 the peers announced at 1000..1002 are silent too long.
    assertThat(moved.expire(1000 + TIMEOUT + 3, TIMEOUT)).isEqualTo(3);
    assertThat(moved.has(PeerEndpoint.ipv4(0x0A000003, 6881))).isTrue();
    assertThat(moved.has(PeerEndpoint.ipv4(0x0A000002, 6881))).isFalse();
  }

  @Test
  void aMergeIsTheUnionWithTheLatestAnnounceAndTheLargerCompletedCount() {
    Swarm left = Swarm.create(H);
    Swarm right = Swarm.create(H);
    PeerEndpoint both = PeerEndpoint.ipv4(0x0A000001, 1);
    left.announce(announce(both, AnnounceEvent.STARTED, 5), 1000, TIMEOUT, 0);
    right.announce(announce(both, AnnounceEvent.COMPLETED, 0), 1050, TIMEOUT, 0);
    for (int i = 2; i < 6; i++) {
      left.announce(
          announce(PeerEndpoint.ipv4(0x0A000000 + i, 1), AnnounceEvent.COMPLETED, 0),
          1000,
          TIMEOUT,
          0);
    }
    for (int i = 10; i < 13; i++) {
      right.announce(
          announce(PeerEndpoint.ipv4(0x0A000000 + i, 1), AnnounceEvent.STARTED, 7),
          1040,
          TIMEOUT,
          0);
    }
    right.announce(
        announce(PeerEndpoint.ipv6(1L << 48, 1, 2), AnnounceEvent.STARTED, 7), 1040, TIMEOUT, 0);

    left.mergeFrom(right, 1060);
    // 1 shared + 4 left + 3 right + 1 IPv6 right; the shared peer is a seeder (its later announce).
    assertThat(left.peers()).isEqualTo(9);
    assertThat(left.statsAt(1060, TIMEOUT)).isEqualTo(new ScrapeStats(5, 4, 4));
    // The shared peer's completion was counted on the right: announcing it again counts nothing.
    left.announce(announce(both, AnnounceEvent.COMPLETED, 0), 1061, TIMEOUT, 0);
    assertThat(left.statsAt(1061, TIMEOUT).completed()).isEqualTo(4);
    // The shared peer keeps the later time: at 1000 + TIMEOUT + 1 only left's own peers expire.
    assertThat(left.expire(1000 + TIMEOUT + 1, TIMEOUT)).isEqualTo(4);
    Set<PeerEndpoint> sample =
        new HashSet<>(
            left.announce(
                    announce(PeerEndpoint.ipv4(99, 1), AnnounceEvent.STARTED, 1), 1101, TIMEOUT, 0)
                .peers());
    assertThat(sample).contains(both);
  }

  @Test
  void aClockBehindTheOneThatStampedAPeerDoesNotExpireIt() {
    // Fleet members stamp announces with their own clocks: one a few seconds behind another sees
    // "future" times. They are fresh, not 32,000 s old.
    Swarm swarm = Swarm.create(H);
    swarm.announce(announce(PeerEndpoint.ipv4(1, 1), AnnounceEvent.STARTED, 5), 5000, TIMEOUT, 0);
    AnnounceResult r =
        swarm.announce(
            announce(PeerEndpoint.ipv4(2, 1), AnnounceEvent.STARTED, 5), 4995, TIMEOUT, 0);
    assertThat(r.peers()).containsExactly(PeerEndpoint.ipv4(1, 1));
    assertThat(swarm.expire(4990, TIMEOUT)).isZero();
    assertThat(swarm.statsAt(4990, TIMEOUT).leechers()).isEqualTo(2);
    // Far enough on, they expire as usual.
    assertThat(swarm.expire(5000 + TIMEOUT + 1, TIMEOUT)).isEqualTo(2);
  }

  @Test
  void aMergeOfAnotherTorrentIsRefused() {
    Swarm a = Swarm.create(H);
    Swarm b = Swarm.create(InfoHash.fromHex("0000000000000000000000000000000000000001"));
    assertThatThrownBy(() -> a.mergeFrom(b, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
