package io.swarmkeeper.redis;

import static io.swarmkeeper.testsupport.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.Ticker;
import io.swarmkeeper.testsupport.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The store without its Redis: answers keep coming (no peers, zero counts) and are counted, and
 * once Redis is back the store is whole again by itself, its scripts loaded anew into the restarted
 * server, with every peer Redis kept; scripts flushed under a live connection are loaded again.
 */
class RedisStoreOutageTest {
  private static final InfoHash H = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");

  @Test
  void answersWithoutRedisAndRecoversWithWhatItKept() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisServer redis = RedisServer.start(true)) {
      RedisSwarmStore store =
          new RedisSwarmStore(
              vertx,
              new RedisStoreOptions().setUrls(List.of(redis.url())).setTimeoutMillis(200),
              Ticker.wallClock(),
              600);
      try {
        for (int i = 0; i < 5; i++) {
          announce(store, i, 0);
        }
        assertThat(announce(store, 9, 50).peerCount()).isEqualTo(5);
        assertThat(store.degraded()).isFalse();
        // A key of the torrent expires a little after the peer timeout.
        long ttl = Long.parseLong(redis.cli("TTL", "sk:{" + H.toHex() + "}l4"));
        assertThat(ttl).isBetween(600L, 600L + RedisSwarmStore.TTL_SLACK_SECONDS);

        redis.stop();
        AnnounceResult away = announce(store, 10, 50);
        assertThat(away.peerCount()).isZero();
        assertThat(away.seeders() + away.leechers()).isZero();
        assertThat(await(store.scrape(List.of(H)))).containsExactly(ScrapeStats.EMPTY);
        within(5_000, store::degraded);
        assertThat(store.trouble()).isNotBlank();
        assertThat(store.failures()).isPositive();
        assertThat(store.degradedAnswers()).isGreaterThanOrEqualTo(2);

        redis.restart(); // an empty script cache: the store loads its scripts again
        within(10_000, () -> !store.degraded());
        AnnounceResult back = announce(store, 11, 50);
        assertThat(back.peerCount()).isEqualTo(6); // the five kept, and 9
        assertThat(await(store.scrape(List.of(H)))).containsExactly(new ScrapeStats(0, 0, 7));

        // Scripts flushed under a live connection (an operator's SCRIPT FLUSH): NOSCRIPT loads
        // them again and the request is answered whole, not degraded.
        long degradedBefore = store.degradedAnswers();
        assertThat(redis.cli("SCRIPT", "FLUSH")).isEqualTo("OK");
        assertThat(announce(store, 12, 50).peerCount()).isEqualTo(7);
        assertThat(store.degradedAnswers()).isEqualTo(degradedBefore);
      } finally {
        store.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static AnnounceResult announce(RedisSwarmStore store, int n, int numWant)
      throws Exception {
    return await(
        store.announce(
            new AnnounceRequest(
                H, PeerEndpoint.ipv4(0x0A000000 + n, 6881), AnnounceEvent.STARTED, 100, numWant)));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
