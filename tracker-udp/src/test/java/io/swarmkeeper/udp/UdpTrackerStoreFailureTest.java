package io.swarmkeeper.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.StoreBusyException;
import io.swarmkeeper.swarm.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store that cannot answer: a busy one (too many waiting, too slow) gets the request shed with no
 * answer, a failing one gets "temporarily unavailable"; both are counted.
 */
class UdpTrackerStoreFailureTest {
  private static final InfoHash A = InfoHash.fromHex("00112233445566778899aabbccddeeff00112233");
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Fails every announce and scrape with the given exception. */
  private static final class FailingStore extends ForwardingSwarmStore {
    private final RuntimeException failure;

    FailingStore(RuntimeException failure) {
      super(new LocalSwarmStore(Ticker.system(), 3600));
      this.failure = failure;
    }

    @Override
    public Future<AnnounceResult> announce(AnnounceRequest request) {
      return Future.failedFuture(failure);
    }

    @Override
    public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes) {
      return Future.failedFuture(failure);
    }
  }

  private UdpTrackerMetrics metrics;

  private int deploy(RuntimeException failure) throws Exception {
    metrics = new UdpTrackerMetrics(new SimpleMeterRegistry());
    UdpTrackerHandler handler =
        new UdpTrackerHandler(
            new FailingStore(failure),
            new ConnectionIds(ConnectionIds.keyFromHex(null), InstantSource.system(), 120),
            IntervalPolicy.fixed(900),
            AnnounceLimits.DEFAULT,
            false,
            metrics);
    return UdpTrackerDeployment.deploy(
            vertx, new UdpTrackerOptions().setHost("127.0.0.1").setPort(0), handler, 1)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS)
        .port();
  }

  @Test
  void aBusyStoreShedsTheRequestSilentlyAndCountsIt() throws Exception {
    int port = deploy(new StoreBusyException("too many requests waiting on the fleet"));
    try (TrackerClient c = TrackerClient.ipv4(port)) {
      c.connect();
      c.send(c.announceRequest(7, A, 6881, 2));
      assertThat(c.receive(500)).as("no answer to a shed announce").isNull();
      c.send(new UdpRequest.Scrape(c.connectionId, 8, List.of(A)));
      assertThat(c.receive(500)).as("no answer to a shed scrape").isNull();
    }
    assertThat(metrics.rejected(DropReason.STORE_BUSY.tag())).isEqualTo(2);
    assertThat(metrics.rejected(DropReason.STORE_FAILURE.tag())).isZero();
  }

  @Test
  void aFailingStoreIsAnsweredTemporarilyUnavailable() throws Exception {
    int port = deploy(new IllegalStateException("member unreachable"));
    try (TrackerClient c = TrackerClient.ipv4(port)) {
      c.connect();
      assertThat(c.error(c.announceRequest(7, A, 6881, 2)))
          .isEqualTo("tracker temporarily unavailable");
    }
    assertThat(metrics.rejected(DropReason.STORE_FAILURE.tag())).isEqualTo(1);
    assertThat(metrics.rejected(DropReason.STORE_BUSY.tag())).isZero();
  }
}
