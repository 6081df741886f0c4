package io.swarmkeeper.http;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.List;

/**
 * Whether an address lies in a list of addresses and CIDR blocks (the trusted proxies). IPv4-mapped
 * IPv6 addresses match as the IPv4 address they carry, in addresses and in specs alike.
 */
final class AddressMatcher {
  private final List<Block> blocks;

  private record Block(byte[] network, int prefix) {}

  private AddressMatcher(List<Block> blocks) {
    this.blocks = blocks;
  }

  /** A matcher of the specs; a bad spec is an {@link IllegalArgumentException} naming it. */
  static AddressMatcher of(List<String> specs) {
    return new AddressMatcher(specs.stream().map(AddressMatcher::parse).toList());
  }

  private static Block parse(String spec) {
    String s = spec == null ? "" : spec.trim();
    int slash = s.indexOf('/');
    String host = slash < 0 ? s : s.substring(0, slash);
    byte[] raw = NetUtil.createByteArrayFromIpAddressString(host);
    if (raw == null || host.indexOf('%') >= 0) {
      throw new IllegalArgumentException(
          "'" + spec + "' is not an IP address or CIDR block (such as 10.0.0.0/8 or fd00::/8)");
    }
    int bits = raw.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
        throw new IllegalArgumentException(
            "'" + spec + "' has a bad prefix length: must be 0.." + bits);
      }
      prefix = Integer.parseInt(p);
    }
    byte[] network = IpLiteral.unmapped(raw);
    if (network.length != raw.length) {
      // ::ffff:10.0.0.0/104 is 10.0.0.0/8; a block wider than the mapped range is not IPv4-only
      if (prefix < 96) {
        throw new IllegalArgumentException(
            "'" + spec + "' has a bad prefix length: an IPv4-mapped block needs 96..128");
      }
      prefix -= 96;
    }
    return new Block(network, prefix);
  }

  boolean matches(InetAddress address) {
    return matches(address.getAddress());
  }

  /** Whether the 4- or 16-byte address lies in one of the blocks. */
  boolean matches(byte[] address) {
    byte[] a = IpLiteral.unmapped(address);
    for (Block b : blocks) {
      if (b.network().length == a.length && samePrefix(a, b.network(), b.prefix())) {
        return true;
      }
    }
    return false;
  }

  boolean isEmpty() {
    return blocks.isEmpty();
  }

  private static boolean samePrefix(byte[] a, byte[] network, int prefix) {
    int bits = prefix;
    for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
      if ((a[i] & mask) != (network[i] & mask)) {
        return false;
      }
    }
    return true;
  }
}
