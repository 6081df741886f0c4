package io.swarmkeeper.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.StoreBusyException;
import io.swarmkeeper.swarm.Ticker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The clustered store as an event loop uses it: the announces of one event-loop task leave in one
 * remote call, the answers come back on the asking context (never a Hazelcast or pool thread), and
 * past the bound on waiting requests new ones are shed at once.
 */
class FleetStoreOnVertxTest {
  private static TestFleet fleet;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    fleet = new TestFleet(2, Ticker.wallClock(), 1800, 1);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    fleet.close();
  }

  private static AnnounceRequest announce(InfoHash h, int n) {
    return new AnnounceRequest(
        h, PeerEndpoint.ipv4(0x0A000000 + n, 6881), AnnounceEvent.STARTED, 9, 50);
  }

  private static InfoHash randomHash() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return InfoHash.of(r.nextLong(), r.nextLong(), r.nextInt());
  }

  @Test
  void oneTasksAnnouncesLeaveInOneCallAndAnswerOnTheAskingContext() throws Exception {
    HazelcastSwarmStore store = fleet.stores.get(0);
    Context context = vertx.getOrCreateContext();
    List<Object> answeredOn = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    InfoHash shared = randomHash();
    CompletableFuture<List<AnnounceResult>> all = new CompletableFuture<>();
    long callsBefore = store.remoteCalls();
    context.runOnContext(
        v -> {
          List<Future<AnnounceResult>> futures = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            // 40 swarms over both members, and 5 announces into one of them
            InfoHash h = i < 5 ? shared : randomHash();
            futures.add(
                store
                    .announce(announce(h, i))
                    .onComplete(
                        r -> {
                          answeredOn.add(Vertx.currentContext());
                          threads.add(Thread.currentThread().getName());
                        }));
          }
          Future.all(futures)
              .onComplete(done -> all.complete(futures.stream().map(Future::result).toList()));
        });
    List<AnnounceResult> results = all.get(20, TimeUnit.SECONDS);
    assertThat(store.remoteCalls() - callsBefore).as("remote calls for one task").isEqualTo(1);
    assertThat(answeredOn).hasSize(40).allSatisfy(c -> assertThat(c).isSameAs(context));
    assertThat(threads).allSatisfy(t -> assertThat(t).startsWith("vert.x-eventloop-thread"));
    // The five announces into one swarm were applied in order: the n-th saw n - 1 others.
    for (int i = 0; i < 5; i++) {
      assertThat(results.get(i).leechers()).isEqualTo(i + 1);
      assertThat(results.get(i).peers()).hasSize(i);
    }
  }

  @Test
  void batchesOverManyPartitionsAreWhollyBackedUp() throws Exception {
    // A third member, so that a crash leaves two: every swarm is then read from its backup or its
    // untouched owner, and a backup that missed any announce of its partition loses a peer.
    try (TestFleet three = new TestFleet(3, Ticker.wallClock(), 1800, 1)) {
      HazelcastSwarmStore store = three.stores.get(0);
      Context context = vertx.getOrCreateContext();
      List<InfoHash> hashes = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        hashes.add(randomHash());
      }
      for (int round = 0; round < 3; round++) {
        int r = round;
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(
            v -> {
              // One task: 600 announces, three peers into each of 200 swarms, in one batch.
              List<Future<AnnounceResult>> futures = new ArrayList<>();
              for (int i = 0; i < 600; i++) {
                futures.add(store.announce(announce(hashes.get(i % 200), r * 600 + i)));
              }
              Future.all(futures).onComplete(x -> done.complete(null));
            });
        done.get(20, TimeUnit.SECONDS);
      }
      three.settle();
      three.members.get(1).crash();
      three.stores.get(1).close();
      three.awaitSize(2);
      three.awaitSafe();
      List<ScrapeStats> after =
          three.stores.get(2).scrape(hashes).toCompletionStage().toCompletableFuture().get();
      assertThat(after).allSatisfy(s -> assertThat(s.leechers()).isEqualTo(9));
    }
  }

  @Test
  void pastTheBoundOnWaitingRequestsNewOnesAreShedAtOnce() throws Exception {
    FleetMember member = fleet.members.get(1);
    HazelcastSwarmStore tight =
        new HazelcastSwarmStore(
            member, Ticker.wallClock(), 1800, ".tight", 10); // at most 10 waiting
    try {
      Context context = vertx.getOrCreateContext();
      CompletableFuture<List<Future<AnnounceResult>>> sent = new CompletableFuture<>();
      context.runOnContext(
          v -> {
            List<Future<AnnounceResult>> futures = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
              futures.add(tight.announce(announce(randomHash(), i)));
            }
            Future.join(futures).onComplete(done -> sent.complete(futures));
          });
      List<Future<AnnounceResult>> futures = sent.get(20, TimeUnit.SECONDS);
      assertThat(futures.subList(0, 10)).allSatisfy(f -> assertThat(f.succeeded()).isTrue());
      assertThat(futures.subList(10, 25))
          .allSatisfy(f -> assertThat(f.cause()).isInstanceOf(StoreBusyException.class));
      assertThat(tight.overloaded()).isEqualTo(15);
      assertThat(tight.outstanding()).isZero();
    } finally {
      tight.close();
    }
  }
}
