package io.swarmkeeper.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressMatcherTest {
  private static boolean matches(String spec, String address) throws Exception {
    return AddressMatcher.of(List.of(spec)).matches(InetAddress.getByName(address));
  }

  @Test
  void ipv4BlocksMatchTheirRangeToTheEdges() throws Exception {
    assertThat(matches("10.0.0.0/8", "10.0.0.0")).isTrue();
    assertThat(matches("10.0.0.0/8", "10.255.255.255")).isTrue();
    assertThat(matches("10.0.0.0/8", "9.255.255.255")).isFalse();
    assertThat(matches("10.0.0.0/8", "11.0.0.0")).isFalse();
    // a prefix that is not on a byte boundary
    assertThat(matches("192.168.4.0/22", "192.168.7.255")).isTrue();
    assertThat(matches("192.168.4.0/22", "192.168.8.0")).isFalse();
    assertThat(matches("192.168.4.0/22", "192.168.3.255")).isFalse();
    // host bits in the spec are ignored, as the prefix says
    assertThat(matches("10.1.2.3/8", "10.200.0.1")).isTrue();
  }

  @Test
  void aSingleAddressIsASlash32OrSlash128() throws Exception {
    assertThat(matches("192.168.1.7", "192.168.1.7")).isTrue();
    assertThat(matches("192.168.1.7", "192.168.1.8")).isFalse();
    assertThat(matches("192.168.1.7/32", "192.168.1.6")).isFalse();
    assertThat(matches("2001:db8::1", "2001:db8::1")).isTrue();
    assertThat(matches("2001:db8::1", "2001:db8::2")).isFalse();
    assertThat(matches("2001:db8::1/128", "2001:db8::1")).isTrue();
  }

  @Test
  void ipv6BlocksMatchTheirRangeToTheEdges() throws Exception {
    assertThat(matches("fd00::/8", "fdff:ffff::1")).isTrue();
    assertThat(matches("fd00::/8", "fe00::")).isFalse();
    assertThat(matches("2001:db8::/65", "2001:db8::7fff:ffff:ffff:ffff")).isTrue();
    assertThat(matches("2001:db8::/65", "2001:db8::8000:0:0:0")).isFalse();
    assertThat(matches("2001:db8::/127", "2001:db8::1")).isTrue();
    assertThat(matches("2001:db8::/127", "2001:db8::2")).isFalse();
  }

  @Test
  void slashZeroMatchesItsWholeFamilyOnly() throws Exception {
    assertThat(matches("0.0.0.0/0", "203.0.113.1")).isTrue();
    assertThat(matches("0.0.0.0/0", "2001:db8::1")).isFalse();
    assertThat(matches("::/0", "2001:db8::1")).isTrue();
    assertThat(matches("::/0", "203.0.113.1")).isFalse();
  }

  @Test
  void ipv4MappedAddressesMatchAsTheIpv4TheyCarry() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xFF;
    mapped[11] = (byte) 0xFF;
    mapped[12] = 10;
    mapped[15] = 9;
    AddressMatcher tenSlash8 = AddressMatcher.of(List.of("10.0.0.0/8"));
    assertThat(tenSlash8.matches(mapped)).isTrue();
    mapped[12] = 11;
    assertThat(tenSlash8.matches(mapped)).isFalse();
    // a mapped spec is the IPv4 block it maps
    AddressMatcher mappedSpec = AddressMatcher.of(List.of("::ffff:10.0.0.0/104"));
    assertThat(mappedSpec.matches(InetAddress.getByName("10.9.9.9"))).isTrue();
    assertThat(mappedSpec.matches(InetAddress.getByName("11.0.0.1"))).isFalse();
  }

  @Test
  void badSpecsAreRefusedNamingTheSpec() {
    for (String bad :
        new String[] {
          "proxy.example.com", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/abc", "/8",
          "10.0.0.0/8/9", "10.0.0.256", "10.0.0", "", "fe80::1%eth0", "10.0.0.0/-1",
          "::ffff:10.0.0.0/95"
        }) {
      assertThatThrownBy(() -> AddressMatcher.of(List.of(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void anEmptyListMatchesNothing() throws Exception {
    AddressMatcher none = AddressMatcher.of(List.of());
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.matches(InetAddress.getByName("127.0.0.1"))).isFalse();
  }
}
