package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.udp.UdpTrackerOptions;
import io.swarmkeeper.udp.UdpTrackerOptions.UdpTransport;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Only this node's own sockets share its UDP port: a second node (another process, to the kernel:
 * another SO_REUSEPORT group) or any other socket on the port makes the start fail.
 */
class PortSharingTest {

  private static NodeOptions on(int port, UdpTransport transport) {
    return new NodeOptions()
        .setEventLoops(2)
        .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(port).setTransport(transport))
        .setHttp(new HttpTrackerOptions().setPort(-1));
  }

  private static SwarmkeeperNode start(NodeOptions options) throws Exception {
    return SwarmkeeperNode.start(options, new SimpleMeterRegistry())
        .toCompletionStage()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  private static int freePort() throws Exception {
    try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET)) {
      c.bind(new InetSocketAddress("127.0.0.1", 0));
      return ((InetSocketAddress) c.getLocalAddress()).getPort();
    }
  }

  private static void assertRefused(NodeOptions options, int port) {
    assertThatThrownBy(() -> start(options))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .hasMessage("cannot listen on udp 127.0.0.1:" + port + ": Address already in use");
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void aSecondNodeOnTheSamePortFailsToStart(UdpTransport transport) throws Exception {
    int port = freePort();
    SwarmkeeperNode first = start(on(port, transport));
    try {
      assertThat(first.udpPort()).isEqualTo(port);
      assertRefused(on(port, UdpTransport.EPOLL), port);
      assertRefused(on(port, UdpTransport.VERTX), port);
      try (UdpClient c = new UdpClient(port)) {
        assertThat(c.scrape(new byte[20])).as("the first node still serves").containsExactly(0, 0);
      }
    } finally {
      first.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"EPOLL", "VERTX"})
  void anyOtherSocketOnThePortMakesTheStartFail(UdpTransport transport) throws Exception {
    int port = freePort();
    try (DatagramChannel plain = DatagramChannel.open(StandardProtocolFamily.INET)) {
      plain.bind(new InetSocketAddress("127.0.0.1", port));
      assertRefused(on(port, transport), port);
    }
    // A socket that would share (SO_REUSEPORT, as another swarmkeeper's): still refused.
    try (DatagramChannel sharing = DatagramChannel.open(StandardProtocolFamily.INET)) {
      sharing.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      sharing.bind(new InetSocketAddress("127.0.0.1", port));
      assertRefused(on(port, transport), port);
    }
  }
}
