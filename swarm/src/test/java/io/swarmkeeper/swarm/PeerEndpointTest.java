package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PeerEndpointTest {

  @Test
  void ipv4MappedIpv6AddressIsIpv4() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 1, 2, 3};
    // InetAddress.getByName("::ffff:10.1.2.3") already answers an Inet4Address; a socket on a
    // dual-stack "::" reports IPv4 clients as an Inet6Address like this one.
    InetAddress address = Inet6Address.getByAddress(null, mapped, null);
    assertThat(address).isInstanceOf(Inet6Address.class);
    PeerEndpoint p = PeerEndpoint.of(new InetSocketAddress(address, 80));
    assertThat(p).isEqualTo(PeerEndpoint.ipv4(0x0A010203, 80));
    assertThat(p.toString()).isEqualTo("10.1.2.3:80");
  }

  @Test
  void ipv6AddressStaysIpv6() throws Exception {
    PeerEndpoint six = PeerEndpoint.of(InetAddress.getByName("2001:db8::1"), 80);
    assertThat(six).isEqualTo(PeerEndpoint.ipv6(0x20010db800000000L, 1, 80));
    assertThat(six.address().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(six.toString()).isEqualTo("[2001:db8:0:0:0:0:0:1]:80");
  }

  @Test
  void ipv6AddressWithZerosBeforeFfffIsNotMapped() throws Exception {
    byte[] b = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, 10, 1, 2, 3};
    PeerEndpoint p = PeerEndpoint.of(Inet6Address.getByAddress(null, b, null), 80);
    assertThat(p.ipv6()).isTrue();
    assertThat(p.low()).isEqualTo(0x0001FFFF0A010203L);
  }

  /**
   * The hot path reads an IPv4 address from Inet4Address.hashCode(): a JDK that changes it fails.
   */
  @Test
  void ipv4BitsAreTheAddressGetAddressCopies() throws Exception {
    for (String a :
        new String[] {
          "0.0.0.0", "10.1.2.3", "127.0.0.1", "192.168.255.254", "255.255.255.255", "128.0.0.1"
        }) {
      java.net.Inet4Address v4 = (java.net.Inet4Address) InetAddress.getByName(a);
      assertThat(PeerEndpoint.ipv4Bits(v4))
          .as(a)
          .isEqualTo(PeerEndpoint.readInt(v4.getAddress(), 0));
      assertThat(PeerEndpoint.of(v4, 1).low())
          .as(a)
          .isEqualTo(PeerEndpoint.readInt(v4.getAddress(), 0) & 0xFFFFFFFFL);
    }
  }
}
