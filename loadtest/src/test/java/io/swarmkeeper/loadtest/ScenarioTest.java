package io.swarmkeeper.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {
  @TempDir Path dir;

  @Test
  void everyPeerHasItsOwnSourceAndPort() {
    Scenario s = new Scenario(1000, 200_000, 2, 0.5, 0.01, 10, 30, 50, 1);
    assertThat(s.sources).isGreaterThanOrEqualTo(200_000 / Scenario.MAX_PEERS_PER_SOURCE + 1);
    Set<Long> seen = new HashSet<>();
    int total = 0;
    for (int source = 0; source < s.sources; source++) {
      total += s.peersOfSource(source);
    }
    assertThat(total).isEqualTo(200_000);
    for (int p = 0; p < s.peers; p++) {
      assertThat(s.port(p)).isBetween(Scenario.FIRST_PORT, 65535);
      assertThat(seen.add(((long) s.source(p) << 16) | s.port(p))).isTrue();
    }
  }

  @Test
  void aLimitedScenarioIsTheFirstPeersOfTheWhole() {
    Scenario whole = new Scenario(1000, 200_000, 2, 0.5, 0.01, 10, 30, 50, 1);
    Scenario half = whole.limitedTo(100_000);
    assertThat(half.sources).isEqualTo(whole.sources);
    int total = 0;
    for (int source = 0; source < half.sources; source++) {
      int n = half.peersOfSource(source);
      total += n;
      // A lane walks peers source, source + sources, ...: the last one it announces is < limit.
      assertThat(source + (long) (n - 1) * half.sources).isLessThan(100_000);
    }
    assertThat(total).isEqualTo(100_000);
    for (int p = 0; p < 100_000; p += 997) {
      assertThat(half.swarmOf(p)).isEqualTo(whole.swarmOf(p));
      assertThat(half.port(p)).isEqualTo(whole.port(p));
      assertThat(half.source(p)).isEqualTo(whole.source(p));
    }
    half.state[5] = Scenario.SEEDER; // one world: what the half did, the whole knows
    assertThat(whole.state[5]).isEqualTo(Scenario.SEEDER);
  }

  @Test
  void activePeersAreThoseThatAnnouncedAndDidNotStop() {
    Scenario whole = new Scenario(10, 1000, 1, 0.5, 0.01, 10, 30, 50, 1);
    assertThat(whole.activePeers()).isZero();
    whole.state[3] = Scenario.LEECHER;
    whole.state[700] = Scenario.SEEDER;
    whole.state[701] = Scenario.NEW; // stopped
    assertThat(whole.activePeers()).isEqualTo(2);
    assertThat(whole.limitedTo(500).activePeers()).isEqualTo(1);
  }

  @Test
  void popularityIsSkewed() {
    Scenario s = new Scenario(1000, 100_000, 1, 0.5, 0.01, 10, 30, 50, 1);
    int[] count = new int[1000];
    for (int p = 0; p < s.peers; p++) {
      count[s.swarmOf(p)]++;
    }
    assertThat(count[0]).isGreaterThan(10 * count[500]);
    assertThat(count[0]).isBetween(100_000 / 10, 100_000 / 5); // 1/H(1000) is about 13 %
  }

  @Test
  void whitelistHasOneHexHashALine() throws Exception {
    Scenario s = new Scenario(50, 100, 1, 0.5, 0.01, 10, 30, 50, 1);
    Path file = dir.resolve("w.txt");
    s.writeWhitelist(file);
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(50).allMatch(l -> l.matches("[0-9a-f]{40}"));
    assertThat(new HashSet<>(lines)).hasSize(50);
  }
}
