package io.swarmkeeper.server;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** A BEP 15 client for tests of the whole node: connect, announce, scrape. */
final class UdpClient implements AutoCloseable {
  private final DatagramSocket socket;
  private final InetSocketAddress tracker;
  private long connectionId;

  UdpClient(int port) throws Exception {
    socket = new DatagramSocket();
    socket.setSoTimeout(3000);
    tracker = new InetSocketAddress("127.0.0.1", port);
    connectionId =
        exchange(ByteBuffer.allocate(16).putLong(0x41727101980L).putInt(0).putInt(1).array())
            .getLong(8);
  }

  ByteBuffer exchange(byte[] request) throws Exception {
    socket.send(new DatagramPacket(request, request.length, tracker));
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    socket.receive(p);
    return ByteBuffer.wrap(p.getData(), 0, p.getLength());
  }

  /** An announce (event started) that is not waited for. */
  void sendAnnounce(byte[] infoHash, int port, long left) throws Exception {
    byte[] b = announce(infoHash, port, left);
    socket.send(new DatagramPacket(b, b.length, tracker));
  }

  /** The answer's action: 1 for an announce answered, 3 for an error. */
  int announceAction(byte[] infoHash, int port, long left) throws Exception {
    return exchange(announce(infoHash, port, left)).getInt(0);
  }

  private byte[] announce(byte[] infoHash, int port, long left) {
    ByteBuffer b = ByteBuffer.allocate(98);
    b.putLong(connectionId).putInt(1).putInt(7).put(infoHash).put(new byte[20]);
    b.putLong(0).putLong(left).putLong(0).putInt(2).putInt(0).putInt(0).putInt(-1);
    b.putShort((short) port);
    return b.array();
  }

  /** Seeders and leechers of one swarm. */
  int[] scrape(byte[] infoHash) throws Exception {
    ByteBuffer r =
        exchange(
            ByteBuffer.allocate(36)
                .putLong(connectionId)
                .putInt(2)
                .putInt(9)
                .put(infoHash)
                .array());
    return new int[] {r.getInt(8), r.getInt(16)};
  }

  @Override
  public void close() {
    socket.close();
  }
}
