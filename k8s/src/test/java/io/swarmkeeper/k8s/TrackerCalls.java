package io.swarmkeeper.k8s;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.udp.UdpCodec;
import io.swarmkeeper.udp.UdpRequest;
import io.swarmkeeper.udp.UdpResponse;
import io.swarmkeeper.udp.UdpResponseCodec;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls on a tracker under test: BEP 15 datagrams through the tracker's own codec, an HTTP
 * announce; and a free port to give it.
 */
final class TrackerCalls {
  private TrackerCalls() {}

  /** Sends {@code request} and reads the answer (the socket's timeout applies). */
  static UdpResponse exchange(DatagramSocket socket, InetSocketAddress tracker, UdpRequest request)
      throws Exception {
    send(socket, tracker, request);
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    socket.receive(p);
    return UdpResponseCodec.decode(Unpooled.wrappedBuffer(p.getData(), 0, p.getLength()), false);
  }

  /** Sends {@code request}, or 3 bytes of nothing (too short to read) for {@code null}. */
  static void send(DatagramSocket socket, InetSocketAddress tracker, UdpRequest request)
      throws Exception {
    ByteBuf out = Unpooled.buffer(1500);
    if (request == null) {
      out.writeZero(3);
    } else {
      UdpCodec.encode(request, out);
    }
    socket.send(new DatagramPacket(out.array(), out.arrayOffset(), out.readableBytes(), tracker));
  }

  /** An HTTP announce (compact) of {@code infoHash} to the tracker on loopback {@code port}. */
  static HttpResponse<byte[]> httpAnnounce(
      HttpClient http, int trackerPort, byte[] infoHash, String peerId, int port, long left)
      throws Exception {
    StringBuilder escaped = new StringBuilder();
    for (byte b : infoHash) {
      escaped.append('%').append(String.format("%02X", b & 0xff));
    }
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + trackerPort
                + "/announce?info_hash="
                + escaped
                + "&peer_id="
                + peerId
                + "&port="
                + port
                + "&uploaded=0&downloaded=0&left="
                + left
                + "&compact=1&event=started");
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A TCP port free now on this machine (UDP on the same number is free as well in practice). */
  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
