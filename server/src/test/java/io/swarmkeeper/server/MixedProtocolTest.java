package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** UDP and HTTP announce into the same swarms of one node. */
class MixedProtocolTest {
  private static final InfoHash A = InfoHash.fromHex("00112233445566778899aabbccddeeff00112233");
  private SwarmkeeperNode node;
  private DatagramSocket udp;
  private long connectionId;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    NodeOptions options =
        new NodeOptions()
            .setEventLoops(2)
            .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(0));
    node =
        SwarmkeeperNode.start(options, new SimpleMeterRegistry())
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    udp = new DatagramSocket();
    udp.setSoTimeout(3000);
    ByteBuffer r =
        udpExchange(ByteBuffer.allocate(16).putLong(0x41727101980L).putInt(0).putInt(1).array());
    connectionId = r.getLong(8);
  }

  @AfterEach
  void stop() throws Exception {
    udp.close();
    node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ByteBuffer udpExchange(byte[] request) throws Exception {
    udp.send(
        new DatagramPacket(
            request, request.length, new InetSocketAddress("127.0.0.1", node.udpPort())));
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    udp.receive(p);
    return ByteBuffer.wrap(p.getData(), 0, p.getLength());
  }

  /** Ports of the peers a UDP announce returns. */
  private int[] udpAnnounce(int port, long left) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(98);
    b.putLong(connectionId).putInt(1).putInt(7).put(A.toBytes()).put(new byte[20]);
    b.putLong(0)
        .putLong(left)
        .putLong(0)
        .putInt(2)
        .putInt(0)
        .putInt(0)
        .putInt(-1)
        .putShort((short) port);
    ByteBuffer r = udpExchange(b.array());
    assertThat(r.getInt(0)).isEqualTo(1);
    int[] ports = new int[(r.remaining() - 20) / 6];
    for (int i = 0; i < ports.length; i++) {
      ports[i] = r.getShort(20 + 6 * i + 4) & 0xFFFF;
    }
    return ports;
  }

  private String escape(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte x : bytes) {
      sb.append('%').append(String.format("%02x", x & 0xFF));
    }
    return sb.toString();
  }

  private byte[] httpGet(String pathAndQuery) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + pathAndQuery))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** Ports in an HTTP announce's compact peers. */
  private int[] httpAnnounce(int port, long left) throws Exception {
    byte[] body =
        httpGet(
            "/announce?info_hash="
                + escape(A.toBytes())
                + "&peer_id="
                + escape(new byte[20])
                + "&port="
                + port
                + "&left="
                + left
                + "&compact=1");
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("5:peers");
    int colon = text.indexOf(':', at + 7);
    int length = Integer.parseInt(text.substring(at + 7, colon));
    int[] ports = new int[length / 6];
    for (int i = 0; i < ports.length; i++) {
      int off = colon + 1 + 6 * i;
      ports[i] = (body[off + 4] & 0xFF) << 8 | (body[off + 5] & 0xFF);
    }
    return ports;
  }

  @Test
  void peersCrossProtocolsAndScrapesAgree() throws Exception {
    assertThat(udpAnnounce(7001, 100)).isEmpty();
    assertThat(httpAnnounce(7002, 0)).containsExactly(7001); // the UDP peer, seen over HTTP
    assertThat(udpAnnounce(7001, 100)).containsExactly(7002); // the HTTP peer, seen over UDP

    ByteBuffer b =
        ByteBuffer.allocate(36).putLong(connectionId).putInt(2).putInt(9).put(A.toBytes());
    ByteBuffer s = udpExchange(b.array());
    int seeders = s.getInt(8);
    int leechers = s.getInt(16);
    assertThat(seeders).isEqualTo(1);
    assertThat(leechers).isEqualTo(1);
    String scrape =
        new String(
            httpGet("/scrape?info_hash=" + escape(A.toBytes())), StandardCharsets.ISO_8859_1);
    assertThat(scrape)
        .contains("8:completei" + seeders + "e")
        .contains("10:incompletei" + leechers + "e");
  }
}
