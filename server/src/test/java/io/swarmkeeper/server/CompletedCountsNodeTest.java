package io.swarmkeeper.server;

import static io.swarmkeeper.server.WhitelistNodeTest.escaped;
import static io.swarmkeeper.server.WhitelistNodeTest.httpAsk;
import static io.swarmkeeper.server.WhitelistNodeTest.within;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.swarm.Bencode;
import io.swarmkeeper.udp.UdpResponse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Completed counts kept in PostgreSQL (public mode, a real embedded PostgreSQL): they survive a
 * restart of the node and a swarm that went empty, over UDP and HTTP; with PostgreSQL stopped and
 * started again under load, the tracker keeps answering and no count is lost.
 */
class CompletedCountsNodeTest {

  static SwarmkeeperNode start(String url, int flushSeconds) throws Exception {
    return SwarmkeeperNode.start(
            RegistryNodeTest.options(0, 0, url)
                .setCompleted(new CompletedOptions().setFlushSeconds(flushSeconds)),
            new SimpleMeterRegistry())
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  static String url(EmbeddedPostgres postgres) {
    return "postgres://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  /** One peer's announce over UDP: completed (event 1) or stopped (event 3); the answer's kind. */
  static String udpAnnounce(SwarmkeeperNode node, byte[] hash, int port, int event)
      throws Exception {
    try (UdpClient client = new UdpClient(node.udpPort())) {
      UdpResponse r = client.announceAnswer(hash, port, 0, event, null);
      return r instanceof UdpResponse.Announced ? "announced" : r.toString();
    }
  }

  static String httpCompleted(SwarmkeeperNode node, byte[] hash, int port) throws Exception {
    return httpAsk(
        node,
        "/announce?info_hash="
            + escaped(hash)
            + "&peer_id=-SK0001-completed000&port="
            + port
            + "&left=0&event=completed&compact=1");
  }

  /** The swarm's completed count as a UDP scrape answers it. */
  static int udpCompleted(SwarmkeeperNode node, byte[] hash) throws Exception {
    try (UdpClient client = new UdpClient(node.udpPort())) {
      return ((UdpResponse.Scraped) client.scrapeAnswer(hash)).stats().get(0).completed();
    }
  }

  /** The swarm's completed count as an HTTP scrape answers it ("downloaded"). */
  @SuppressWarnings("unchecked")
  static long httpCompleted(SwarmkeeperNode node, byte[] hash) throws Exception {
    HttpResponse<byte[]> r =
        WhitelistNodeTest.http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + node.httpPort()
                            + "/scrape?info_hash="
                            + escaped(hash)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    Map<String, Object> files =
        (Map<String, Object>) ((Map<String, Object>) Bencode.decode(r.body())).get("files");
    Map<String, Object> stats = (Map<String, Object>) files.values().iterator().next();
    return (Long) stats.get("downloaded");
  }

  static byte[] hash(int n) {
    byte[] h = new byte[20];
    h[0] = (byte) 0xC0;
    h[19] = (byte) n;
    return h;
  }

  static void close(SwarmkeeperNode node) throws Exception {
    node.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** The count PostgreSQL holds for the swarm, read with plain JDBC. */
  static long stored(EmbeddedPostgres postgres, byte[] hash) throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT completed FROM completions WHERE swarm_key = ?")) {
      s.setBytes(1, hash);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  @Test
  void countsSurviveARestartOfTheNodeAndASwarmGoingEmpty() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
      byte[] overUdp = hash(1);
      byte[] overHttp = hash(2);
      // a long flush period: the graceful stop writes what is pending
      SwarmkeeperNode node = start(url(postgres), 3600);
      try {
        for (int port = 7001; port <= 7005; port++) {
          assertThat(udpAnnounce(node, overUdp, port, 1)).isEqualTo("announced");
        }
        // a repeated completed event of one peer is not counted again
        assertThat(udpAnnounce(node, overUdp, 7001, 1)).isEqualTo("announced");
        for (int port = 7001; port <= 7003; port++) {
          assertThat(httpCompleted(node, overHttp, port)).isEqualTo("announced");
        }
        assertThat(udpCompleted(node, overUdp)).isEqualTo(5);
        assertThat(httpCompleted(node, overHttp)).isEqualTo(3);
        assertThat(stored(postgres, overUdp)).as("written behind, not yet").isZero();
      } finally {
        close(node);
      }
      assertThat(stored(postgres, overUdp)).isEqualTo(5);
      assertThat(stored(postgres, overHttp)).isEqualTo(3);

      node = start(url(postgres), 3600);
      try {
        // a new process: no swarm in memory, the counts from PostgreSQL, over both protocols
        assertThat(node.store().swarmCount()).isZero();
        assertThat(udpCompleted(node, overUdp)).isEqualTo(5);
        assertThat(httpCompleted(node, overHttp)).isEqualTo(3);
        assertThat(httpCompleted(node, overUdp)).isEqualTo(5);
        // one more completion, then every peer leaves: the swarm is gone from memory...
        assertThat(udpAnnounce(node, overUdp, 7006, 1)).isEqualTo("announced");
        assertThat(udpAnnounce(node, overUdp, 7006, 3)).isEqualTo("announced");
        assertThat(
                node.store()
                    .scrape(java.util.List.of(io.swarmkeeper.swarm.InfoHash.fromBytes(overUdp)))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get()
                    .get(0)
                    .completed())
            .as("the memory store forgot the swarm")
            .isZero();
        // ...and its count is whole
        assertThat(udpCompleted(node, overUdp)).isEqualTo(6);
      } finally {
        close(node);
      }
      assertThat(stored(postgres, overUdp)).isEqualTo(6);
    }
  }

  @Test
  void postgresStoppedAndStartedUnderLoadLosesNoCount() throws Exception {
    Path data = Files.createTempDirectory("completed-outage");
    EmbeddedPostgres postgres = RegistryOutageTest.database(data, 0);
    int dbPort = postgres.getPort();
    byte[] swarm = hash(3);
    SwarmkeeperNode node = start(url(postgres), 1);
    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger unanswered = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    // Load beside the completions: announces to other swarms, all the time.
    Thread load =
        new Thread(
            () -> {
              int i = 0;
              while (loading.get()) {
                try {
                  if (udpAnnounce(node, hash(100 + i % 50), 20_000 + i % 1000, 2)
                      .equals("announced")) {
                    answered.incrementAndGet();
                  } else {
                    unanswered.incrementAndGet();
                  }
                } catch (Exception e) {
                  unanswered.incrementAndGet();
                }
                i++;
              }
            });
    load.start();
    try {
      int completions = 0;
      for (int port = 8001; port <= 8050; port++, completions++) {
        assertThat(udpAnnounce(node, swarm, port, 1)).isEqualTo("announced");
      }
      within(
          5_000,
          () -> {
            try {
              return stored(postgres, swarm) == 50;
            } catch (Exception e) {
              return false;
            }
          });

      postgres.close();
      // While PostgreSQL is away: every announce answered, the counts held and still answered.
      for (int port = 8051; port <= 8250; port++, completions++) {
        String answer =
            port % 2 == 0 ? udpAnnounce(node, swarm, port, 1) : httpCompleted(node, swarm, port);
        assertThat(answer).isEqualTo("announced");
      }
      assertThat(udpCompleted(node, swarm)).isEqualTo(completions);
      Thread.sleep(2_500); // flushes fail meanwhile
      assertThat(
              node.registry().get("swarmkeeper.completed.flush.failures").functionCounter().count())
          .isPositive();
      assertThat(node.registry().get("swarmkeeper.completed.pending").gauge().value())
          .isEqualTo(1.0);

      EmbeddedPostgres restarted = RegistryOutageTest.database(data, dbPort);
      final int expected = completions;
      within(
          20_000,
          () -> {
            try {
              return stored(restarted, swarm) == expected;
            } catch (Exception e) {
              return false;
            }
          });
      assertThat(udpCompleted(node, swarm)).isEqualTo(expected);
      loading.set(false);
      load.join(10_000);
      assertThat(unanswered.get()).as("announces of the load left unanswered").isZero();
      assertThat(answered.get()).isPositive();
      assertThat(node.failure()).isNull();
      close(node);
      assertThat(stored(restarted, swarm)).as("nothing counted twice").isEqualTo(expected);
      restarted.close();
    } finally {
      loading.set(false);
      node.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }
}
