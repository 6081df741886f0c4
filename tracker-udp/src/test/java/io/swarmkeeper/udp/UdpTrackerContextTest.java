package io.swarmkeeper.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.epoll.Epoll;
import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.SwarmStore;
import io.swarmkeeper.swarm.Ticker;
import io.swarmkeeper.udp.UdpTrackerOptions.UdpTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Where the handler runs: on the event loop context of the verticle that received the datagram; and
 * a store that completes on a foreign thread (as a remote store does) still gets its answers out.
 */
@ExtendWith(VertxExtension.class)
class UdpTrackerContextTest {
  private static final InfoHash A = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");

  /** Completes every announce 20 ms later on a thread of its own, recording the calling context. */
  private static final class RemoteLikeStore extends ForwardingSwarmStore {
    final LocalSwarmStore local;
    final ScheduledExecutorService remote = Executors.newSingleThreadScheduledExecutor();
    volatile Context callerContext;

    RemoteLikeStore(LocalSwarmStore local) {
      super(local);
      this.local = local;
    }

    @Override
    public Future<AnnounceResult> announce(AnnounceRequest request) {
      callerContext = Vertx.currentContext();
      Promise<AnnounceResult> p = Promise.promise();
      remote.schedule(() -> p.complete(local.announceNow(request)), 20, TimeUnit.MILLISECONDS);
      return p.future();
    }
  }

  /** A handler with default limits, a 900 s interval and a random connection id key. */
  static UdpTrackerHandler handlerOver(SwarmStore store) {
    return new UdpTrackerHandler(
        store,
        new ConnectionIds(ConnectionIds.keyFromHex(null), InstantSource.system(), 120),
        IntervalPolicy.fixed(900),
        AnnounceLimits.DEFAULT,
        false,
        new UdpTrackerMetrics(new SimpleMeterRegistry()));
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void handlerRunsOnTheEventLoopAndLateAnswersGoOut(UdpTransport transport, VertxTestContext test)
      throws Exception {
    if (transport == UdpTransport.EPOLL) {
      assumeTrue(Epoll.isAvailable());
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    RemoteLikeStore store = new RemoteLikeStore(new LocalSwarmStore(Ticker.system(), 3600));
    UdpTrackerHandler handler = handlerOver(store);
    UdpTrackerOptions options =
        new UdpTrackerOptions().setHost("127.0.0.1").setPort(0).setTransport(transport);
    Checkpoint answered = test.checkpoint();
    UdpTrackerDeployment.deploy(vertx, options, handler, 1)
        .onComplete(
            test.succeeding(
                deployment ->
                    new Thread(
                            () -> {
                              try (TrackerClient c = TrackerClient.ipv4(deployment.port())) {
                                c.connect();
                                UdpResponse.Announced r = c.announce(A, 6881, 100, 2, 10);
                                test.verify(
                                    () -> {
                                      assertThat(r.intervalSeconds()).isEqualTo(900);
                                      assertThat(r.leechers()).isEqualTo(1);
                                      assertThat(store.callerContext).isNotNull();
                                      assertThat(store.callerContext.isEventLoopContext()).isTrue();
                                    });
                                answered.flag();
                              } catch (Exception e) {
                                test.failNow(e);
                              }
                            })
                        .start()));
    assertThat(test.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
    store.remote.shutdown();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (test.failed()) {
      throw new AssertionError(test.causeOfFailure());
    }
  }
}
