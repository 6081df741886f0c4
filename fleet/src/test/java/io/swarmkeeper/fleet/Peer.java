package io.swarmkeeper.fleet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.Set;

/** A peer as a tracker keeps it: an IPv4 address and a port (the text form, for messages). */
record Peer(String ip, int port) {
  /** The peers of a BEP 23 compact list: 4 address bytes and 2 port bytes each. */
  static Set<Peer> fromCompact(byte[] compact) {
    if (compact.length % 6 != 0) {
      throw new IllegalArgumentException("compact peers of " + compact.length + " bytes");
    }
    Set<Peer> peers = new LinkedHashSet<>();
    for (int at = 0; at < compact.length; at += 6) {
      byte[] address = java.util.Arrays.copyOfRange(compact, at, at + 4);
      int port = (compact[at + 4] & 0xFF) << 8 | compact[at + 5] & 0xFF;
      try {
        peers.add(new Peer(InetAddress.getByAddress(address).getHostAddress(), port));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(e);
      }
    }
    return peers;
  }

  @Override
  public String toString() {
    return ip + ":" + port;
  }
}
