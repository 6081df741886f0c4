package io.swarmkeeper.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.Swarm;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Each partition's backup carries that partition's announces only, as Hazelcast drives a processor:
 * a partition's keys, then its backup processor asked for twice, then the next partition's keys on
 * the same thread.
 */
class AnnounceProcessorBackupTest {
  private static final int NOW = 1_800_000_000;

  private static AnnounceRequest announce(InfoHash h, int n) {
    return new AnnounceRequest(
        h, PeerEndpoint.ipv4(0x0A000000 + n, 6881), AnnounceEvent.STARTED, 9, 50);
  }

  private static Map.Entry<InfoHash, Swarm> entry(InfoHash h) {
    return new AbstractMap.SimpleEntry<>(h, null);
  }

  @Test
  void aPartitionsBackupReplaysItsOwnAnnouncesOnly() {
    InfoHash a = InfoHash.of(1, 1, 1);
    InfoHash b = InfoHash.of(2, 2, 2);
    InfoHash c = InfoHash.of(3, 3, 3);
    List<AnnounceRequest> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      batch.add(announce(i < 10 ? a : i < 25 ? b : c, i)); // a: 10, b: 15, c: 5
    }
    AnnounceProcessor p =
        new AnnounceProcessor(NOW, 1800, 0, 0, 0, batch.toArray(AnnounceRequest[]::new));

    // partition 1 holds a and c
    p.process(entry(a));
    p.process(entry(c));
    AnnounceProcessor first = (AnnounceProcessor) p.getBackupProcessor();
    assertThat(p.getBackupProcessor()).as("asked twice, the same").isSameAs(first);
    assertThat(first.isReplay()).isTrue();
    assertThat(first.announces()).isEqualTo(15);

    // partition 2 holds b, on the same thread
    p.process(entry(b));
    AnnounceProcessor second = (AnnounceProcessor) p.getBackupProcessor();
    assertThat(second.announces()).isEqualTo(15);
    Map.Entry<InfoHash, Swarm> replayed = entry(b);
    second.process(replayed);
    assertThat(replayed.getValue().peers()).isEqualTo(15);
    assertThat(second.getBackupProcessor()).as("a replay has no backup of its own").isNull();
  }

  @Test
  void askedOnAnotherThreadTheBackupReplaysTheWholeBatch() throws Exception {
    InfoHash a = InfoHash.of(1, 1, 1);
    InfoHash b = InfoHash.of(2, 2, 2);
    AnnounceProcessor p =
        new AnnounceProcessor(
            NOW, 1800, 0, 0, 0, new AnnounceRequest[] {announce(a, 1), announce(b, 2)});
    p.process(entry(a));
    CompletableFuture<AnnounceProcessor> elsewhere = new CompletableFuture<>();
    Thread t = new Thread(() -> elsewhere.complete((AnnounceProcessor) p.getBackupProcessor()));
    t.start();
    assertThat(elsewhere.get().announces()).isEqualTo(2);
  }
}
