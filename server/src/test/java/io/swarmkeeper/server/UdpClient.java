package io.swarmkeeper.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.udp.UdpCodec;
import io.swarmkeeper.udp.UdpRequest;
import io.swarmkeeper.udp.UdpResponse;
import io.swarmkeeper.udp.UdpResponseCodec;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;

/** A BEP 15 client for tests of the whole node, speaking through the tracker's own codec. */
final class UdpClient implements AutoCloseable {
  private static final String PEER_ID = "-SK0001-servertest00";

  private final DatagramSocket socket;
  private final InetSocketAddress tracker;
  private final long connectionId;

  UdpClient(int port) throws Exception {
    this(port, null);
  }

  /** A client whose datagrams come from {@code source} (a loopback address such as 127.0.0.2). */
  UdpClient(int port, String source) throws Exception {
    socket =
        source == null
            ? new DatagramSocket()
            : new DatagramSocket(new InetSocketAddress(source, 0));
    socket.setSoTimeout(3000);
    tracker = new InetSocketAddress("127.0.0.1", port);
    if (!(exchange(new UdpRequest.Connect(1)) instanceof UdpResponse.Connected c)) {
      throw new IllegalStateException("no connect answer");
    }
    connectionId = c.connectionId();
  }

  /**
   * A client that presents {@code connectionId} without connecting: one another node issued to this
   * address, to see that this node accepts it.
   */
  UdpClient(int port, long connectionId) throws Exception {
    socket = new DatagramSocket();
    socket.setSoTimeout(3000);
    tracker = new InetSocketAddress("127.0.0.1", port);
    this.connectionId = connectionId;
  }

  UdpResponse exchange(UdpRequest request) throws Exception {
    send(request);
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    socket.receive(p);
    return UdpResponseCodec.decode(Unpooled.wrappedBuffer(p.getData(), 0, p.getLength()), false);
  }

  long connectionId() {
    return connectionId;
  }

  private void send(UdpRequest request) throws Exception {
    ByteBuf out = Unpooled.buffer(1500);
    UdpCodec.encode(request, out);
    socket.send(new DatagramPacket(out.array(), out.arrayOffset(), out.readableBytes(), tracker));
  }

  /** An announce (event started) that is not waited for. */
  void sendAnnounce(byte[] infoHash, int port, long left) throws Exception {
    send(announce(infoHash, port, left));
  }

  /** The answer's action: 1 for an announce answered, 3 for an error. */
  int announceAction(byte[] infoHash, int port, long left) throws Exception {
    UdpResponse r = exchange(announce(infoHash, port, left));
    if (r instanceof UdpResponse.Announced) {
      return UdpCodec.ACTION_ANNOUNCE;
    }
    if (r instanceof UdpResponse.TrackerError) {
      return UdpCodec.ACTION_ERROR;
    }
    throw new IllegalStateException("unexpected answer " + r);
  }

  /** The whole answer to an announce (event started). */
  UdpResponse announceAnswer(byte[] infoHash, int port, long left) throws Exception {
    return exchange(announce(infoHash, port, left));
  }

  /**
   * The whole answer to an announce with this event code (0 none, 1 completed, 2 started) and BEP
   * 41 URL data (null for none).
   */
  UdpResponse announceAnswer(byte[] infoHash, int port, long left, int event, String urlData)
      throws Exception {
    return exchange(
        new UdpRequest.Announce(
            connectionId,
            7,
            InfoHash.fromBytes(infoHash),
            PEER_ID,
            0,
            left,
            0,
            event,
            0,
            0,
            -1,
            port,
            urlData));
  }

  /** The answer to a scrape of these swarms, whatever it is. */
  UdpResponse scrapeAnswer(byte[]... infoHashes) throws Exception {
    return exchange(
        new UdpRequest.Scrape(
            connectionId,
            9,
            java.util.Arrays.stream(infoHashes).map(InfoHash::fromBytes).toList()));
  }

  private UdpRequest.Announce announce(byte[] infoHash, int port, long left) {
    return new UdpRequest.Announce(
        connectionId,
        7,
        InfoHash.fromBytes(infoHash),
        PEER_ID,
        0,
        left,
        0,
        2,
        0,
        0,
        -1,
        port,
        null);
  }

  /** Seeders and leechers of one swarm. */
  int[] scrape(byte[] infoHash) throws Exception {
    UdpResponse r =
        exchange(new UdpRequest.Scrape(connectionId, 9, List.of(InfoHash.fromBytes(infoHash))));
    if (!(r instanceof UdpResponse.Scraped s)) {
      throw new IllegalStateException("unexpected answer " + r);
    }
    return new int[] {s.stats().get(0).seeders(), s.stats().get(0).leechers()};
  }

  @Override
  public void close() {
    socket.close();
  }
}
