package io.swarmkeeper.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Whether an address lies in a list of addresses and CIDR blocks (trusted proxies). */
final class AddressMatcher {
  private final List<Block> blocks;

  private record Block(byte[] network, int prefix) {}

  private AddressMatcher(List<Block> blocks) {
    this.blocks = blocks;
  }

  static AddressMatcher of(List<String> specs) {
    return new AddressMatcher(specs.stream().map(AddressMatcher::parse).toList());
  }

  static Block parse(String spec) {
    String s = spec.trim();
    int slash = s.indexOf('/');
    String host = slash < 0 ? s : s.substring(0, slash);
    if (!host.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException(
          "trusted proxy must be an IP address or CIDR, got " + spec);
    }
    byte[] addr;
    try {
      addr = InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "trusted proxy must be an IP address or CIDR, got " + spec);
    }
    int prefix = slash < 0 ? addr.length * 8 : Integer.parseInt(s.substring(slash + 1));
    if (prefix < 0 || prefix > addr.length * 8) {
      throw new IllegalArgumentException("bad prefix length in " + spec);
    }
    return new Block(addr, prefix);
  }

  boolean matches(InetAddress address) {
    byte[] a = address.getAddress();
    for (Block b : blocks) {
      if (b.network().length != a.length) {
        continue;
      }
      int bits = b.prefix();
      boolean ok = true;
      for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
        if ((a[i] & mask) != (b.network()[i] & mask)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }
}
