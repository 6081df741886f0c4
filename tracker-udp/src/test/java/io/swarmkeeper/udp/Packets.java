package io.swarmkeeper.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.swarm.InfoHash;
import java.util.List;

/** Builds BEP 15 requests as a client would send them. */
final class Packets {
  private Packets() {}

  static byte[] connect(int transactionId) {
    return bytes(
        Unpooled.buffer().writeLong(UdpCodec.PROTOCOL_ID).writeInt(0).writeInt(transactionId));
  }

  static ByteBuf announceHeader(
      long connectionId,
      int transactionId,
      InfoHash infoHash,
      long left,
      int event,
      int ip,
      int numWant,
      int port) {
    ByteBuf b = Unpooled.buffer();
    b.writeLong(connectionId).writeInt(UdpCodec.ACTION_ANNOUNCE).writeInt(transactionId);
    b.writeBytes(infoHash.toBytes());
    b.writeBytes("-SK0001-abcdefghijkl".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.writeLong(1000).writeLong(left).writeLong(2000); // downloaded, left, uploaded
    b.writeInt(event).writeInt(ip).writeInt(0x1234).writeInt(numWant).writeShort(port);
    return b;
  }

  static byte[] announce(
      long connectionId,
      int transactionId,
      InfoHash infoHash,
      long left,
      int event,
      int numWant,
      int port) {
    return bytes(
        announceHeader(connectionId, transactionId, infoHash, left, event, 0, numWant, port));
  }

  static byte[] scrape(long connectionId, int transactionId, List<InfoHash> hashes) {
    ByteBuf b = Unpooled.buffer();
    b.writeLong(connectionId).writeInt(UdpCodec.ACTION_SCRAPE).writeInt(transactionId);
    for (InfoHash h : hashes) {
      b.writeBytes(h.toBytes());
    }
    return bytes(b);
  }

  static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }
}
