package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * A listener that cannot be opened ends the start at once with one line naming it, the address and
 * the cause, and exit 1; no stack trace, no half-minute wait for a timeout.
 */
class StartFailureProcessTest {
  /** Far below the 30 s the start once waited before giving up with a TimeoutException. */
  private static final int PROMPTLY_SECONDS = 10;

  private static void assertFailsWith(NodeProcess p, String line) throws Exception {
    assertThat(p.waitFor(PROMPTLY_SECONDS)).as("ended promptly; output:\n%s", p.output()).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(p.output().lines()).contains(line);
    assertThat(p.output()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void busyUdpPort() throws Exception {
    try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        NodeProcess p =
            NodeProcess.launch(
                "--host",
                "127.0.0.1",
                "--udp-port",
                "" + holder.getLocalPort(),
                "--http-port",
                "-1")) {
      assertFailsWith(
          p,
          "swarmkeeper: cannot listen on udp 127.0.0.1:"
              + holder.getLocalPort()
              + ": Address already in use");
    }
  }

  @Test
  void busyUdpPortOnEveryAddress() throws Exception {
    // "::" must not fall back to 0.0.0.0 when the port is taken: that would hide the holder.
    try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress("0.0.0.0", 0));
        NodeProcess p =
            NodeProcess.launch("--udp-port", "" + holder.getLocalPort(), "--http-port", "-1")) {
      assertFailsWith(
          p,
          "swarmkeeper: cannot listen on udp [::]:"
              + holder.getLocalPort()
              + ": Address already in use");
    }
  }

  @Test
  void busyHttpPort() throws Exception {
    try (ServerSocket holder = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
        NodeProcess p =
            NodeProcess.launch(
                "--host",
                "127.0.0.1",
                "--udp-port",
                "0",
                "--http-port",
                "" + holder.getLocalPort())) {
      assertFailsWith(
          p,
          "swarmkeeper: cannot listen on http 127.0.0.1:"
              + holder.getLocalPort()
              + ": Address already in use");
    }
  }

  @Test
  void anAddressTheHostDoesNotHave() throws Exception {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): no host has it.
    try (NodeProcess p =
        NodeProcess.launch("--host", "192.0.2.1", "--udp-port", "6969", "--http-port", "-1")) {
      assertFailsWith(
          p, "swarmkeeper: cannot listen on udp 192.0.2.1:6969: Cannot assign requested address");
    }
  }

  @Test
  void vertxTransportOnABusyPort() throws Exception {
    try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        NodeProcess p =
            NodeProcess.launch(
                "--host",
                "127.0.0.1",
                "--udp-transport",
                "vertx",
                "--udp-port",
                "" + holder.getLocalPort(),
                "--http-port",
                "-1")) {
      assertFailsWith(
          p,
          "swarmkeeper: cannot listen on udp 127.0.0.1:"
              + holder.getLocalPort()
              + ": Address already in use");
    }
  }
}
