package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /health and /ready on the admin port, with HTTP announces off. */
class AdminListenerTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private SwarmkeeperNode node;

  @BeforeEach
  void start() throws Exception {
    NodeOptions options =
        new NodeOptions()
            .setEventLoops(1)
            .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setHttp(new HttpTrackerOptions().setPort(-1))
            .setAdmin(new AdminOptions().setPort(0));
    node =
        SwarmkeeperNode.start(options, new SimpleMeterRegistry())
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersHealthAndReadyWithHttpOff() throws Exception {
    assertThat(node.httpPort()).isEqualTo(-1);
    assertThat(node.adminAddress()).isEqualTo("127.0.0.1:" + node.adminPort());
    HttpResponse<String> health = send("GET", "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
    HttpResponse<String> ready = send("GET", "/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");
    assertThat(send("GET", "/announce").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/health").statusCode()).isEqualTo(405);
  }

  @Test
  void aFailedNodeIsNeitherHealthyNorReady() throws Exception {
    node.fail("the UDP listener", new IllegalStateException("channel closed"));
    HttpResponse<String> health = send("GET", "/health");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.body())
        .isEqualTo(
            "failed: the UDP listener failed: java.lang.IllegalStateException: channel closed\n");
    assertThat(send("GET", "/ready").statusCode()).isEqualTo(503);
    assertThat(node.isReady()).isFalse();
  }
}
