package io.swarmkeeper.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.Epoll;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.Ticker;
import io.swarmkeeper.udp.UdpTrackerOptions.UdpTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Answers a store completes after the read batch that asked (a clustered store answers a batch of
 * requests with one remote call): every one goes out, at once, and on the epoll path the answers
 * one event-loop task writes leave in one flush rather than one syscall each.
 */
class UdpTrackerLateAnswersTest {
  private static final InfoHash A = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
  private static final int STARTED = 2;
  private static final int MANY = 50;

  /**
   * Holds every announce until the test answers them all together: in one task on the context that
   * asked, as a remote store answering a batch does, or from a thread of its own.
   */
  private static final class HeldAnswersStore extends ForwardingSwarmStore {
    private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
    private final Semaphore arrived = new Semaphore(0);
    private volatile Context askedOn;

    HeldAnswersStore() {
      super(new LocalSwarmStore(Ticker.system(), 3600));
    }

    @Override
    public Future<AnnounceResult> announce(AnnounceRequest request) {
      askedOn = Vertx.currentContext();
      Promise<AnnounceResult> answer = Promise.promise();
      held.add(() -> super.announce(request).onComplete(answer));
      arrived.release();
      return answer.future();
    }

    void awaitHeld(int announces) throws InterruptedException {
      assertThat(arrived.tryAcquire(announces, 5, TimeUnit.SECONDS))
          .as("%d announces reached the store", announces)
          .isTrue();
    }

    void answerAllInOneTaskOnTheAskingContext() {
      assertThat(askedOn).isNotNull();
      assertThat(askedOn.isEventLoopContext()).isTrue();
      askedOn.runOnContext(v -> answerAll());
    }

    void answerAll() {
      for (Runnable r = held.poll(); r != null; r = held.poll()) {
        r.run();
      }
    }
  }

  /**
   * The datagrams each flush sends (flushes that send none, as at the end of a read batch whose
   * answers are held, are left out). At the head of the pipeline every write and flush passes it.
   */
  private static final class FlushRecorder extends ChannelOutboundHandlerAdapter {
    final List<Integer> datagramsPerFlush = new CopyOnWriteArrayList<>();
    private int written; // event loop only

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      written++;
      ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (written > 0) {
        datagramsPerFlush.add(written);
        written = 0;
      }
      ctx.flush();
    }
  }

  private final HeldAnswersStore store = new HeldAnswersStore();
  private final FlushRecorder flushes = new FlushRecorder();
  private Vertx vertx;
  private TrackerClient client;

  /** Starts one listener on {@code transport} and connects a client to it. */
  private void start(UdpTransport transport) throws Exception {
    if (transport == UdpTransport.EPOLL) {
      assumeTrue(Epoll.isAvailable(), "native epoll is not available here");
    }
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
    UdpTrackerVerticle verticle =
        new UdpTrackerVerticle(
            new UdpTrackerOptions().setHost("127.0.0.1").setPort(0).setTransport(transport),
            UdpTrackerContextTest.handlerOver(store));
    await(vertx.deployVerticle(verticle));
    Channel channel = verticle.channel();
    if (channel != null) {
      // Added on the loop, so it sees every write from the first datagram on.
      channel.eventLoop().submit(() -> channel.pipeline().addFirst(flushes)).sync();
    }
    client = TrackerClient.ipv4(verticle.boundPort());
    client.connect();
    flushes.datagramsPerFlush.clear(); // the connect answer's
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  /**
   * Sends announces with transaction ids 1..{@code count}, each from its own peer port, and waits
   * until the store holds them all.
   */
  private void announceAndHold(int count) throws Exception {
    for (int tx = 1; tx <= count; tx++) {
      client.send(client.announceRequest(tx, A, 6881 + tx, STARTED));
    }
    store.awaitHeld(count);
  }

  /** Receives an announce answer to each of 1..{@code count}, waiting {@code millis} for each. */
  private void assertAllAnswered(int count, int millis) throws IOException {
    Set<Integer> expected = new HashSet<>();
    Set<Integer> answered = new HashSet<>();
    for (int tx = 1; tx <= count; tx++) {
      expected.add(tx);
      UdpResponse r = client.receive(millis);
      assertThat(r).as("answer %d of %d", tx, count).isInstanceOf(UdpResponse.Announced.class);
      answered.add(((UdpResponse.Announced) r).transactionId());
    }
    assertThat(answered).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void answersCompletedTogetherLaterAllGoOutInOneFlush(UdpTransport transport) throws Exception {
    start(transport);
    announceAndHold(MANY);
    store.answerAllInOneTaskOnTheAskingContext();
    assertAllAnswered(MANY, 2000);
    if (transport == UdpTransport.EPOLL) {
      assertThat(flushes.datagramsPerFlush).containsExactly(MANY);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void aSingleLateAnswerGoesOutAtOnce(UdpTransport transport) throws Exception {
    start(transport);
    announceAndHold(1);
    store.answerAllInOneTaskOnTheAskingContext();
    // Nothing else reaches the listener: only a flush of its own sends this answer.
    assertAllAnswered(1, 1000);
    if (transport == UdpTransport.EPOLL) {
      assertThat(flushes.datagramsPerFlush).containsExactly(1);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void answersCompletedOffTheEventLoopAllGoOut(UdpTransport transport) throws Exception {
    start(transport);
    announceAndHold(MANY);
    store.answerAll(); // on this test thread, as a store's own I/O thread would
    assertAllAnswered(MANY, 2000);
    if (transport == UdpTransport.EPOLL) {
      // Each crossed to the loop on its own; the ones that crossed together share a flush.
      assertThat(flushes.datagramsPerFlush.stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(MANY);
    }
  }
}
