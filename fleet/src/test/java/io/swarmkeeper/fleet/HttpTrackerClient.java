package io.swarmkeeper.fleet;

import io.swarmkeeper.swarm.Bencode;
import io.swarmkeeper.swarm.InfoHash;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** HTTP announces and scrapes to a node of the fleet, read with the tracker's own bencoding. */
final class HttpTrackerClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** An announce's answer: the counts and the ports of the compact peers (all on 127.0.0.1). */
  record Announced(long seeders, long leechers, List<Integer> peerPorts) {}

  Announced announce(int httpPort, InfoHash infoHash, int port, long left) throws Exception {
    Map<String, Object> d =
        get(
            httpPort,
            "/announce?info_hash="
                + escape(infoHash.toBytes())
                + "&peer_id="
                + escape("-SK0001-fleethttp000".getBytes(StandardCharsets.ISO_8859_1))
                + "&port="
                + port
                + "&left="
                + left
                + "&compact=1");
    byte[] peers = (byte[]) d.get("peers");
    List<Integer> ports = new ArrayList<>();
    for (int off = 0; off + 6 <= peers.length; off += 6) {
      if (peers[off] != 127 || peers[off + 1] != 0 || peers[off + 2] != 0 || peers[off + 3] != 1) {
        throw new AssertionError("a peer not on 127.0.0.1 in " + d);
      }
      ports.add((peers[off + 4] & 0xFF) << 8 | (peers[off + 5] & 0xFF));
    }
    return new Announced((Long) d.get("complete"), (Long) d.get("incomplete"), ports);
  }

  /** Seeders and leechers of one swarm. */
  long[] scrape(int httpPort, InfoHash infoHash) throws Exception {
    Map<String, Object> d = get(httpPort, "/scrape?info_hash=" + escape(infoHash.toBytes()));
    @SuppressWarnings("unchecked")
    Map<String, Object> files = (Map<String, Object>) d.get("files");
    @SuppressWarnings("unchecked")
    Map<String, Object> entry =
        (Map<String, Object>)
            files.get(new String(infoHash.toBytes(), StandardCharsets.ISO_8859_1));
    if (entry == null) {
      throw new AssertionError("no entry for " + infoHash + " in " + d);
    }
    return new long[] {(Long) entry.get("complete"), (Long) entry.get("incomplete")};
  }

  private Map<String, Object> get(int httpPort, String pathAndQuery) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + pathAndQuery))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + " for " + pathAndQuery);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> d = (Map<String, Object>) Bencode.decode(r.body());
    if (d.containsKey("failure reason")) {
      throw new AssertionError(
          "failure: " + new String((byte[]) d.get("failure reason"), StandardCharsets.ISO_8859_1));
    }
    return d;
  }

  private static String escape(byte[] bytes) {
    StringBuilder s = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      s.append('%').append(Character.forDigit((b >> 4) & 0xF, 16));
      s.append(Character.forDigit(b & 0xF, 16));
    }
    return s.toString();
  }
}
