package io.swarmkeeper.http;

import io.netty.util.NetUtil;
import io.swarmkeeper.swarm.PeerEndpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * IP address literals from text a client or proxy sent: parsed without ever asking DNS, and an
 * IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, what a dual-stack socket reports for an IPv4
 * client) taken as the IPv4 address it carries, so caps and proxy lists see one address, not two.
 */
final class IpLiteral {
  private IpLiteral() {}

  /** 4 bytes for IPv4 (mapped ones too), 16 for IPv6, or null if {@code text} is no IP literal. */
  static byte[] bytes(String text) {
    if (text == null || text.indexOf('%') >= 0) {
      return null; // a zone id names an interface of the sender's host: meaningless here
    }
    byte[] b = NetUtil.createByteArrayFromIpAddressString(text);
    return b == null ? null : unmapped(b);
  }

  /** The address of a literal, or null: never a DNS lookup. */
  static InetAddress address(String text) {
    byte[] b = bytes(text);
    try {
      return b == null ? null : InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      return null; // cannot happen: the length is 4 or 16
    }
  }

  /** An IPv4-mapped address as its 4 IPv4 bytes; any other address unchanged. */
  static byte[] unmapped(byte[] b) {
    return b.length == 16 && PeerEndpoint.isIpv4Mapped(b) ? Arrays.copyOfRange(b, 12, 16) : b;
  }
}
