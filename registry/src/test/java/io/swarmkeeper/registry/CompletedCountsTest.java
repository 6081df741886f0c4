package io.swarmkeeper.registry;

import static io.swarmkeeper.registry.RegistryApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.swarm.InfoHash;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The write-behind of completed counts against a real PostgreSQL (embedded). */
class CompletedCountsTest {
  static EmbeddedPostgres postgres;
  static Vertx vertx;
  static TorrentRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.start();
    vertx = Vertx.vertx();
    registry =
        await(
            TorrentRegistry.open(
                vertx,
                "postgres://postgres:postgres@localhost:" + postgres.getPort() + "/postgres",
                2));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  static InfoHash swarm(int n) {
    byte[] h = new byte[20];
    h[0] = (byte) 0xCC;
    h[18] = (byte) (n >> 8);
    h[19] = (byte) n;
    return InfoHash.fromBytes(h);
  }

  static void sql(String statement) throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  void aFlushWritesOneRowPerSwarmAndAddsToWhatIsStored() throws Exception {
    CompletedCounts counts = new CompletedCounts(registry, 1000, 1000, Duration.ofDays(1));
    for (int i = 0; i < 7; i++) {
      counts.completed(swarm(1));
    }
    counts.completed(swarm(2));
    assertThat(counts.pending()).isEqualTo(2);
    assertThat(counts.total(swarm(1), 0)).isEqualTo(7);
    await(counts.flush());
    assertThat(counts.pending()).isZero();
    assertThat(counts.written()).isEqualTo(2);
    assertThat(await(registry.completions(List.of(swarm(1), swarm(2), swarm(3)))))
        .isEqualTo(Map.of(swarm(1), 7L, swarm(2), 1L));

    counts.completed(swarm(1));
    await(counts.flush());
    await(counts.flush()); // nothing pending: no statement, nothing changes
    assertThat(await(registry.completions(List.of(swarm(1))))).isEqualTo(Map.of(swarm(1), 8L));
    assertThat(counts.total(swarm(1), 0)).isEqualTo(8);

    // Another node's counts, as a fresh process finds them: loaded for the first scrape.
    CompletedCounts other = new CompletedCounts(registry, 1000, 1000, Duration.ofDays(1));
    assertThat(other.total(swarm(1), 3)).as("not loaded: the store's own count").isEqualTo(3);
    await(other.load(List.of(swarm(1), swarm(4))));
    assertThat(other.total(swarm(1), 3)).isEqualTo(8);
    assertThat(other.total(swarm(4), 0)).isZero();
    other.completed(swarm(1));
    assertThat(other.total(swarm(1), 0)).isEqualTo(9);
    await(other.flush());
    assertThat(await(registry.completions(List.of(swarm(1))))).isEqualTo(Map.of(swarm(1), 9L));
  }

  @Test
  void pastMaxPendingANewSwarmsCompletionsAreDroppedAndCounted() {
    CompletedCounts counts = new CompletedCounts(registry, 2, 1000, Duration.ofDays(1));
    counts.completed(swarm(10));
    counts.completed(swarm(11));
    counts.completed(swarm(12)); // a third swarm: no room
    counts.completed(swarm(10)); // a waiting swarm still counts
    assertThat(counts.pending()).isEqualTo(2);
    assertThat(counts.dropped()).isEqualTo(1);
    assertThat(counts.total(swarm(10), 0)).isEqualTo(2);
  }

  @Test
  void pruningDeletesStaleCountsOfUnregisteredSwarmsOnly() throws Exception {
    CompletedCounts counts = new CompletedCounts(registry, 1000, 1000, Duration.ofDays(30));
    byte[] registeredFile =
        io.swarmkeeper.swarm.Bencode.encode(
            Map.of(
                "info",
                Map.of(
                    "length",
                    1L,
                    "name",
                    "r.bin",
                    "piece length",
                    16384L,
                    "pieces",
                    new byte[20])));
    TorrentFile registeredTorrent = TorrentFile.parse(registeredFile);
    await(registry.publish(registeredTorrent));
    InfoHash registered = InfoHash.fromBytes(registeredTorrent.swarmKey());
    for (InfoHash s : List.of(swarm(20), swarm(21), registered)) {
      counts.completed(s);
    }
    await(counts.flush());
    // swarm 20 and the registered one last completed 40 days ago; 21 just now
    sql(
        "UPDATE completions SET seen_at = now() - interval '40 days'"
            + " WHERE swarm_key IN ('\\x"
            + swarm(20).toHex()
            + "'::bytea, '\\x"
            + registered.toHex()
            + "'::bytea)");
    assertThat(await(counts.prune())).isEqualTo(1);
    assertThat(await(registry.completions(List.of(swarm(20), swarm(21), registered))))
        .isEqualTo(Map.of(swarm(21), 1L, registered, 1L));
  }
}
