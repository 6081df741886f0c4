package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.udp.UdpCodec;
import io.swarmkeeper.udp.UdpRequest;
import io.swarmkeeper.udp.UdpResponse;
import io.swarmkeeper.udp.UdpResponseCodec;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    connectionId = ((UdpResponse.Connected) udpExchange(new UdpRequest.Connect(1))).connectionId();
  }

  @AfterEach
  void stop() throws Exception {
    udp.close();
    node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private UdpResponse udpExchange(UdpRequest r) throws Exception {
    ByteBuf b = Unpooled.buffer();
    UdpCodec.encode(r, b);
    byte[] request = ByteBufUtil.getBytes(b);
    udp.send(
        new DatagramPacket(
            request, request.length, new InetSocketAddress("127.0.0.1", node.udpPort())));
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    udp.receive(p);
    return UdpResponseCodec.decode(Unpooled.wrappedBuffer(p.getData(), 0, p.getLength()), false);
  }

  /** Ports of the peers a UDP announce returns. */
  private int[] udpAnnounce(int port, long left) throws Exception {
    UdpResponse r =
        udpExchange(
            new UdpRequest.Announce(
                connectionId, 7, A, "\0".repeat(20), 0, left, 0, 2, 0, 0, -1, port, null));
    assertThat(r).isInstanceOf(UdpResponse.Announced.class);
    return ((UdpResponse.Announced) r).peers().stream().mapToInt(PeerEndpoint::port).toArray();
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

    UdpResponse.Scraped s =
        (UdpResponse.Scraped) udpExchange(new UdpRequest.Scrape(connectionId, 9, List.of(A)));
    int seeders = s.stats().get(0).seeders();
    int leechers = s.stats().get(0).leechers();
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
