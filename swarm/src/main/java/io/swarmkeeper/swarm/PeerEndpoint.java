package io.swarmkeeper.swarm;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where a peer accepts connections: an IPv4 or IPv6 address and a TCP port. IPv4 addresses live in
 * the low 32 bits of {@code low}; IPv6 addresses in {@code high} and {@code low}.
 */
public record PeerEndpoint(boolean ipv6, long high, long low, int port) {

  public PeerEndpoint {
    check(ipv6, high, low, port);
  }

  /** What every endpoint must be, whether or not an object is made of it. */
  static void check(boolean ipv6, long high, long low, int port) {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (!ipv6 && (high != 0 || (low >>> 32) != 0)) {
      throw new IllegalArgumentException("an IPv4 address has 32 bits");
    }
  }

  public static PeerEndpoint ipv4(int address, int port) {
    return new PeerEndpoint(false, 0, address & 0xFFFFFFFFL, port);
  }

  public static PeerEndpoint ipv6(long high, long low, int port) {
    return new PeerEndpoint(true, high, low, port);
  }

  /** An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is taken as the IPv4 address it maps. */
  public static PeerEndpoint of(InetAddress address, int port) {
    if (address instanceof Inet4Address v4) {
      return ipv4(ipv4Bits(v4), port);
    }
    byte[] b = address.getAddress();
    if (isIpv4Mapped(b)) {
      return ipv4(readInt(b, 12), port);
    }
    return ipv6(readLong(b, 0), readLong(b, 8), port);
  }

  /**
   * An IPv4 address as an int, without the copy {@link InetAddress#getAddress()} makes: the JDK's
   * {@code Inet4Address.hashCode()} is the address itself (OpenJDK since 1.0; {@code
   * PeerEndpointTest} fails if a JDK changes that).
   */
  public static int ipv4Bits(Inet4Address address) {
    return address.hashCode();
  }

  public static PeerEndpoint of(InetSocketAddress address) {
    return of(address.getAddress(), address.getPort());
  }

  /**
   * The compact form a peer list carries: 6 bytes for IPv4, 18 for IPv6, address then port,
   * big-endian (what {@link AnnounceResult#peers()} reads back).
   */
  public byte[] compact() {
    byte[] out = new byte[ipv6 ? 18 : 6];
    int at;
    if (ipv6) {
      writeLong(out, 0, high);
      writeLong(out, 8, low);
      at = 16;
    } else {
      writeInt(out, 0, (int) low);
      at = 4;
    }
    out[at] = (byte) (port >>> 8);
    out[at + 1] = (byte) port;
    return out;
  }

  public PeerEndpoint withPort(int newPort) {
    return new PeerEndpoint(ipv6, high, low, newPort);
  }

  public InetAddress address() {
    byte[] b = new byte[ipv6 ? 16 : 4];
    if (ipv6) {
      writeLong(b, 0, high);
      writeLong(b, 8, low);
    } else {
      writeInt(b, 0, (int) low);
    }
    try {
      return ipv6 ? Inet6Address.getByAddress(null, b, null) : InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: the length is right
    }
  }

  @Override
  public String toString() {
    String host = address().getHostAddress();
    return ipv6 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /** Whether 16 address bytes are an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}). */
  public static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
  }

  static int readInt(byte[] b, int off) {
    return (b[off] & 0xFF) << 24
        | (b[off + 1] & 0xFF) << 16
        | (b[off + 2] & 0xFF) << 8
        | (b[off + 3] & 0xFF);
  }

  static long readLong(byte[] b, int off) {
    return ((long) readInt(b, off) << 32) | (readInt(b, off + 4) & 0xFFFFFFFFL);
  }

  static void writeInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static void writeLong(byte[] b, int off, long v) {
    writeInt(b, off, (int) (v >>> 32));
    writeInt(b, off + 4, (int) v);
  }
}
