package io.swarmkeeper.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressResolverTest {
  private static final AddressMatcher PROXIES =
      AddressMatcher.of(List.of("10.0.0.0/8", "2001:db8:ffff::/48"));

  private static String client(ProxyHeader header, String... lines) {
    InetAddress a = new ClientAddressResolver(PROXIES, header).client(List.of(lines));
    return a == null ? null : a.getHostAddress();
  }

  @Test
  void xForwardedForTakesTheRightMostUntrustedAcrossAllLines() {
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "203.0.113.9")).isEqualTo("203.0.113.9");
    // forged entries to the left are never reached
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "1.1.1.1, 203.0.113.9"))
        .isEqualTo("203.0.113.9");
    // the client's own line comes first; the proxies' line last
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "1.1.1.1", "203.0.113.9, 10.0.0.2"))
        .isEqualTo("203.0.113.9");
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "198.51.100.1,203.0.113.9 ,10.1.1.1,10.2.2.2"))
        .isEqualTo("203.0.113.9");
  }

  @Test
  void whenEveryAddressIsATrustedProxyTheLeftMostIsTheClient() {
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "10.9.9.9, 10.0.0.2")).isEqualTo("10.9.9.9");
  }

  @Test
  void anUnusableEntryWhereTheClientShouldBeMeansNoClient() {
    assertThat(client(ProxyHeader.X_FORWARDED_FOR)).isNull();
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "")).isNull();
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "unknown")).isNull();
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "203.0.113.9, junk, 10.0.0.2")).isNull();
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "203.0.113.9,")).isNull();
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "example.com")).isNull();
    // garbage further left than the client does not matter
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "junk, 203.0.113.9")).isEqualTo("203.0.113.9");
  }

  @Test
  void addressesWithPortsAndBracketsAreRead() {
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "203.0.113.9:4711")).isEqualTo("203.0.113.9");
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "2001:db8::1"))
        .isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "[2001:db8::1]:4711"))
        .isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "[2001:db8::1]"))
        .isEqualTo("2001:db8:0:0:0:0:0:1");
    // an IPv6 client behind a trusted IPv6 proxy
    assertThat(client(ProxyHeader.X_FORWARDED_FOR, "2001:db8::1, 2001:db8:ffff::5"))
        .isEqualTo("2001:db8:0:0:0:0:0:1");
    for (String bad :
        new String[] {
          "203.0.113.9:", "203.0.113.9:99999", "[203.0.113.9]", "[2001:db8::1", "[::1]x"
        }) {
      assertThat(client(ProxyHeader.X_FORWARDED_FOR, bad)).as(bad).isNull();
    }
  }

  @Test
  void forwardedIsReadTheSameWayFromItsForParameters() {
    assertThat(client(ProxyHeader.FORWARDED, "for=203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(client(ProxyHeader.FORWARDED, "For=\"203.0.113.9:4711\";proto=https;by=10.0.0.1"))
        .isEqualTo("203.0.113.9");
    assertThat(client(ProxyHeader.FORWARDED, "for=\"[2001:db8:cafe::17]:4711\""))
        .isEqualTo("2001:db8:cafe:0:0:0:0:17");
    assertThat(client(ProxyHeader.FORWARDED, "for=1.1.1.1", "for=203.0.113.9, for=10.0.0.2"))
        .isEqualTo("203.0.113.9");
    assertThat(client(ProxyHeader.FORWARDED, "for=1.1.1.1,for=203.0.113.9 ; proto=http"))
        .isEqualTo("203.0.113.9");
    // a quoted string may hold what would otherwise end the element
    assertThat(client(ProxyHeader.FORWARDED, "for=203.0.113.9;x=\"a,b;c\\\"d\""))
        .isEqualTo("203.0.113.9");
  }

  @Test
  void forwardedWithoutAUsableNodeOrWithBadSyntaxNamesNoClient() {
    assertThat(client(ProxyHeader.FORWARDED, "for=unknown")).isNull();
    assertThat(client(ProxyHeader.FORWARDED, "for=_hidden")).isNull();
    assertThat(client(ProxyHeader.FORWARDED, "for=\"_hidden:_port\"")).isNull();
    assertThat(client(ProxyHeader.FORWARDED, "proto=https")).isNull(); // an element without for
    assertThat(client(ProxyHeader.FORWARDED, "for=1.1.1.1;for=2.2.2.2")).isNull();
    assertThat(client(ProxyHeader.FORWARDED, "for=\"203.0.113.9")).isNull();
    assertThat(client(ProxyHeader.FORWARDED, "for")).isNull();
    assertThat(client(ProxyHeader.FORWARDED, "=1.2.3.4")).isNull();
    assertThat(client(ProxyHeader.FORWARDED, "for=203.0.113.9 junk")).isNull();
    // an obfuscated port keeps the address usable (RFC 7239 section 6.3)
    assertThat(client(ProxyHeader.FORWARDED, "for=\"203.0.113.9:_abc\"")).isEqualTo("203.0.113.9");
  }

  @Test
  void xRealIpIsOneAddressTheLastLineWins() {
    assertThat(client(ProxyHeader.X_REAL_IP, "203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(client(ProxyHeader.X_REAL_IP, "1.1.1.1", "203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(client(ProxyHeader.X_REAL_IP, "203.0.113.9, 1.1.1.1")).isNull();
    assertThat(client(ProxyHeader.X_REAL_IP)).isNull();
  }

  @Test
  void onlyTrustedPeersAreAskedAtAll() throws Exception {
    ClientAddressResolver r = new ClientAddressResolver(PROXIES, ProxyHeader.X_FORWARDED_FOR);
    assertThat(r.trusts(InetAddress.getByName("10.3.3.3"))).isTrue();
    assertThat(r.trusts(InetAddress.getByName("203.0.113.9"))).isFalse();
  }

  @Test
  void proxyHeaderConfigNamesItsValues() {
    assertThat(ProxyHeader.fromConfig("Forwarded")).isEqualTo(ProxyHeader.FORWARDED);
    assertThat(ProxyHeader.fromConfig(" x-real-ip ")).isEqualTo(ProxyHeader.X_REAL_IP);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyHeader.fromConfig("x-client-ip"))
        .hasMessage(
            "http.proxy-header must be one of x-forwarded-for, forwarded, x-real-ip,"
                + " got 'x-client-ip'");
  }
}
