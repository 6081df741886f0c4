package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A node that runs out of heap exits (code 3) rather than stay alive and deaf. Run without
 * -XX:+ExitOnOutOfMemoryError, so the node's own supervision is what ends it.
 */
class SupervisionProcessTest {
  @Test
  void outOfMemoryEndsTheProcess() throws Exception {
    try (NodeProcess p =
        NodeProcess.launch(
            List.of("-Xmx32m", "-XX:+UseSerialGC"),
            "--host",
            "127.0.0.1",
            "--udp-port",
            "0",
            "--http-port",
            "-1",
            "--event-loops",
            "1",
            "--set",
            "limits.max-swarms=0",
            "--set",
            "limits.max-peers=0",
            "--set",
            "limits.max-swarms-per-address=0",
            "--set",
            "limits.max-peers-per-address=0")) {
      int port = p.awaitUdpPort();
      byte[] hash = new byte[20];
      long deadline = System.nanoTime() + 120_000_000_000L;
      try (UdpClient c = new UdpClient(port)) {
        // A swarm per announce until the heap is gone; the kernel drops what the node cannot take.
        for (int i = 0; p.isAlive() && System.nanoTime() < deadline; i++) {
          ThreadLocalRandom.current().nextBytes(hash);
          c.sendAnnounce(hash, 1 + (i & 0x7fff), 100);
          if ((i & 1023) == 0) {
            Thread.sleep(1); // some pacing: the node reads, not the kernel drops
          }
        }
      }
      assertThat(p.waitFor(30)).as("the process ended; output:\n%s", p.output()).isTrue();
      assertThat(p.exitValue()).isEqualTo(SwarmkeeperNode.EXIT_VM_ERROR);
      assertThat(p.output()).contains("swarmkeeper cannot serve, exiting with code 3");
    }
  }
}
