package io.swarmkeeper.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.server.NodeOptions;
import io.swarmkeeper.server.SwarmkeeperNode;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.net.DatagramSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real-client suite against one in-memory node that every client announces to. */
class RealClientTransferTest extends RealClientTransferSuite {
  private static SwarmkeeperNode node;

  @BeforeAll
  static void startNode() throws Exception {
    NodeOptions options =
        new NodeOptions()
            .setAnnounceIntervalSeconds(
                5) // a leecher that announced before the seeder retries soon
            .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(0));
    node =
        SwarmkeeperNode.start(options, new SimpleMeterRegistry())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Override
  Trackers trackers(String protocol) {
    String url = announceUrl(node, protocol);
    return new Trackers(url, List.of(url));
  }

  /** The control: with no tracker to ask, the same clients find no peer and fetch nothing. */
  @Test
  void withoutATrackerNothingIsTransferred() throws Exception {
    int deadPort;
    try (DatagramSocket s = new DatagramSocket()) {
      deadPort = s.getLocalPort(); // closed again before the clients start: nobody answers there
    }
    Transfer transfer =
        transfer(
            List.of(
                "--tracker",
                "udp://127.0.0.1:" + deadPort + "/announce",
                "--size-mib",
                "1",
                "--libtorrent-leechers",
                "1",
                "--timeout",
                "10"),
            60);
    assertThat(transfer.exitCode()).as(transfer.output()).isEqualTo(1);
    assertThat(
            transfer
                .result()
                .getJsonObject("results")
                .getJsonObject("libtorrent-0")
                .getValue("seconds"))
        .isNull();
  }
}
