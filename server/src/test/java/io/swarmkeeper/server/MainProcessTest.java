package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.udp.UdpCodec;
import io.swarmkeeper.udp.UdpResponse;
import io.swarmkeeper.udp.UdpResponseCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The real command line in its own JVM: start, serve, stop on SIGTERM with exit 0. */
class MainProcessTest {

  private static Process launch(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static BlockingQueue<String> lines(Process p) {
    BlockingQueue<String> out = new LinkedBlockingQueue<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  out.add(line);
                }
              } catch (Exception ignored) {
                // the process ended
              }
            });
    t.setDaemon(true);
    t.start();
    return out;
  }

  @Test
  void startsServesAndStopsCleanlyOnSigterm() throws Exception {
    Process p =
        launch("--udp-port", "0", "--http-port", "0", "--host", "127.0.0.1", "--event-loops", "2");
    BlockingQueue<String> out = lines(p);
    try {
      Pattern listening = Pattern.compile("listening on udp 127\\.0\\.0\\.1:(\\d+)");
      int port = -1;
      int httpPort = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (port < 0 && System.nanoTime() < deadline) {
        String line = out.poll(1, TimeUnit.SECONDS);
        if (line != null) {
          Matcher m = listening.matcher(line);
          if (m.find()) {
            port = Integer.parseInt(m.group(1));
            Matcher h = Pattern.compile("http 127\\.0\\.0\\.1:(\\d+)").matcher(line);
            httpPort = h.find() ? Integer.parseInt(h.group(1)) : -1;
          }
        }
      }
      assertThat(port).as("the start line names the address").isPositive();
      assertThat(httpPort).as("the start line names the HTTP address").isPositive();
      java.net.http.HttpResponse<String> health =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + httpPort + "/health"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);

      try (DatagramSocket s = new DatagramSocket()) {
        s.setSoTimeout(3000);
        ByteBuf request = Unpooled.buffer();
        UdpCodec.writeConnectRequest(request, 7);
        byte[] connect = ByteBufUtil.getBytes(request);
        s.send(new DatagramPacket(connect, 16, new InetSocketAddress("127.0.0.1", port)));
        DatagramPacket answer = new DatagramPacket(new byte[64], 64);
        s.receive(answer);
        assertThat(
                UdpResponseCodec.decode(
                    Unpooled.wrappedBuffer(answer.getData(), 0, answer.getLength()), false))
            .isInstanceOf(UdpResponse.Connected.class) // 16 bytes
            .extracting(r -> ((UdpResponse.Connected) r).transactionId())
            .isEqualTo(7);
      }

      p.toHandle().destroy(); // SIGTERM, leaving our end of its output open
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      List<String> rest = new ArrayList<>();
      Thread.sleep(200);
      out.drainTo(rest);
      assertThat(String.join("\n", rest)).contains("stopped");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void helpListsEveryFlag() throws Exception {
    Process p = launch("--help");
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(text)
        .contains(
            "--udp-port",
            "--http-port",
            "--host",
            "--config",
            "--event-loops",
            "--interval",
            "--udp-transport",
            "--set",
            "--print-default-config");
  }

  @Test
  void badOptionExitsWithAMessage() throws Exception {
    Process p = launch("--set", "udp.port=99999");
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(text).contains("udp.port must be 0..65535");
  }
}
