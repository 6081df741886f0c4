package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.udp.UdpCodec;
import io.swarmkeeper.udp.UdpResponseCodec;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The launcher of the distribution the build made ({@code target/swarmkeeper/bin/swarmkeeper}), run
 * as an operator runs it. An integration test: it runs after {@code package} (see the pom).
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("target", "swarmkeeper", "bin", "swarmkeeper");

  /**
   * The launcher under {@code taskset -c 0} when there is one (the JVM then sees one CPU), with
   * this JVM as its java, no JAVA_OPTS but the test's, and {@code env}.
   */
  private static NodeProcess launch(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/taskset"))) {
      cmd.addAll(List.of("/usr/bin/taskset", "-c", "0"));
    }
    cmd.add(LAUNCHER.toAbsolutePath().toString());
    cmd.addAll(List.of(args));
    Map<String, String> all = new java.util.HashMap<>();
    all.put("JAVA_HOME", System.getProperty("java.home"));
    all.put("JAVA_OPTS", "");
    all.putAll(env);
    return NodeProcess.start(cmd, all);
  }

  private static String run(Map<String, String> env, int expectedExit, String... args)
      throws Exception {
    try (NodeProcess p = launch(env, args)) {
      assertThat(p.waitFor(60)).as("ended").isTrue();
      assertThat(p.exitValue()).as(p.output()).isEqualTo(expectedExit);
      return p.output();
    }
  }

  @Test
  void theDistributionHoldsTheLauncherAndTheJar() {
    assertThat(LAUNCHER).isExecutable();
    assertThat(LAUNCHER.getParent().resolveSibling("lib").resolve("swarmkeeper.jar"))
        .isRegularFile();
    assertThat(Path.of("target", "swarmkeeper.tar.gz")).isRegularFile();
  }

  /** On one CPU the JVM alone would pick Serial; the launcher's settings hold whatever the CPUs. */
  @Test
  void itRunsG1WithTheMeasuredSettingsOnOneCpu() throws Exception {
    String out = run(Map.of("SWARMKEEPER_OPTS", "-XX:+PrintCommandLineFlags"), 0, "--version");
    assertThat(out)
        .contains("-XX:+UseG1GC")
        .contains("-XX:G1HeapRegionSize=2097152")
        .contains("-XX:NewSize=67108864")
        .contains("-XX:InitialHeapSize=100663296")
        .contains("-XX:MaxRAMPercentage=70")
        .contains("-XX:+ExitOnOutOfMemoryError")
        .doesNotContain("UseSerialGC");
  }

  @Test
  void operatorOptionsComeLastAndAnotherCollectorReplacesG1() throws Exception {
    String out =
        run(
            Map.of(
                "JAVA_OPTS", "-Xmx300m -XX:+PrintCommandLineFlags",
                "SWARMKEEPER_OPTS", "-XX:+UseSerialGC"),
            0,
            "--version");
    assertThat(out)
        .contains("-XX:+UseSerialGC")
        .contains("-XX:MaxHeapSize=314572800")
        .doesNotContain("-XX:+UseG1GC")
        .doesNotContain("-XX:NewSize=67108864") // G1's young generation went with G1
        .contains("-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void withoutAJavaItSaysSoAndExits2() throws Exception {
    String out = run(Map.of("JAVA_HOME", "/nonexistent-jdk"), 2, "--version");
    assertThat(out).contains("no java").contains("JAVA_HOME");
  }

  /** The tracker it starts answers over UDP, and SIGTERM reaches the JVM (the launcher execs). */
  @Test
  void itStartsATrackerThatAnswersAndStopsOnSigterm() throws Exception {
    try (NodeProcess node =
        launch(
            Map.of("SWARMKEEPER_OPTS", "-Xmx128m"),
            "--host",
            "127.0.0.1",
            "--udp-port",
            "0",
            "--http-port",
            "-1")) {
      int port = node.awaitUdpPort();
      try (DatagramSocket socket = new DatagramSocket()) {
        socket.setSoTimeout(5000);
        ByteBuf request = Unpooled.buffer(16);
        UdpCodec.writeConnectRequest(request, 4242);
        byte[] bytes = new byte[request.readableBytes()];
        request.readBytes(bytes);
        socket.send(
            new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        DatagramPacket answer = new DatagramPacket(new byte[64], 64);
        socket.receive(answer);
        ByteBuf r = Unpooled.wrappedBuffer(answer.getData(), 0, answer.getLength());
        assertThat(UdpResponseCodec.action(r)).isEqualTo(UdpCodec.ACTION_CONNECT);
        assertThat(UdpResponseCodec.transactionId(r)).isEqualTo(4242);
      }
      // The launcher's variable is not taken for a misspelt option.
      assertThat(node.output()).doesNotContain("SWARMKEEPER_OPTS");
      node.signal("TERM");
      assertThat(node.waitFor(30)).as("ended after SIGTERM").isTrue();
      assertThat(node.exitValue()).as(node.output()).isZero();
    }
  }
}
