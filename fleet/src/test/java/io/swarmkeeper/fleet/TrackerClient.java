package io.swarmkeeper.fleet;

import io.swarmkeeper.swarm.Bencode;
import io.swarmkeeper.swarm.InfoHash;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Announces and scrapes over HTTP as BitTorrent clients do. Each announce names its peer's address
 * ({@code ip=}, which the nodes allow), so that one test process is many distinct peers.
 */
final class TrackerClient {
  /** More than any swarm of the test holds, so that an announce answers every peer it may. */
  static final int NUMWANT = 200;

  /** Within the tracker's limit of info_hashes per scrape. */
  static final int SCRAPE_BATCH = 50;

  /** What an announce answered. */
  record Answer(int seeders, int leechers, Set<Peer> peers) {}

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /**
   * Announces {@code peer} ({@code left} 0 makes it a seeder); {@code event} null for a regular
   * announce. Throws when the tracker fails or does not answer.
   */
  Answer announce(String tracker, InfoHash swarm, Peer peer, long left, String event)
      throws IOException {
    StringBuilder query = new StringBuilder();
    query.append("info_hash=").append(escape(swarm.toBytes()));
    query.append("&peer_id=").append(escape(peerId(peer)));
    query.append("&ip=").append(peer.ip()).append("&port=").append(peer.port());
    query.append("&uploaded=0&downloaded=0&left=").append(left);
    query.append("&numwant=").append(NUMWANT).append("&compact=1");
    if (event != null) {
      query.append("&event=").append(event);
    }
    Map<String, Object> d = get(tracker, "/announce?" + query);
    return new Answer(
        number(d, "complete"), number(d, "incomplete"), Peer.fromCompact((byte[]) d.get("peers")));
  }

  /** The counts of each swarm, in batches the tracker accepts. */
  Map<InfoHash, SwarmCounts> scrape(String tracker, List<InfoHash> swarms) throws IOException {
    Map<InfoHash, SwarmCounts> counts = new LinkedHashMap<>();
    for (int from = 0; from < swarms.size(); from += SCRAPE_BATCH) {
      StringBuilder query = new StringBuilder();
      for (InfoHash h : swarms.subList(from, Math.min(swarms.size(), from + SCRAPE_BATCH))) {
        query.append(query.length() == 0 ? "" : "&").append("info_hash=");
        query.append(escape(h.toBytes()));
      }
      Map<String, Object> d = get(tracker, "/scrape?" + query);
      @SuppressWarnings("unchecked")
      Map<String, Object> files = (Map<String, Object>) d.get("files");
      for (Map.Entry<String, Object> e : files.entrySet()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> f = (Map<String, Object>) e.getValue();
        counts.put(
            InfoHash.fromBytes(e.getKey().getBytes(StandardCharsets.ISO_8859_1)),
            new SwarmCounts(
                number(f, "complete"), number(f, "incomplete"), number(f, "downloaded")));
      }
    }
    return counts;
  }

  private Map<String, Object> get(String tracker, String pathAndQuery) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + tracker + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    Object decoded;
    try {
      decoded = Bencode.decode(response.body());
    } catch (RuntimeException e) {
      throw new IOException(tracker + " answered HTTP " + response.statusCode() + ", not bencode");
    }
    if (!(decoded instanceof Map<?, ?> map)) {
      throw new IOException(tracker + " answered no dictionary");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> d = (Map<String, Object>) map;
    if (d.get("failure reason") instanceof byte[] reason) {
      throw new IOException(tracker + " failed: " + new String(reason, StandardCharsets.UTF_8));
    }
    if (response.statusCode() != 200) {
      throw new IOException(tracker + " answered HTTP " + response.statusCode());
    }
    return d;
  }

  private static int number(Map<String, Object> d, String key) throws IOException {
    if (!(d.get(key) instanceof Long n)) {
      throw new IOException("no number '" + key + "' in " + d.keySet());
    }
    return Math.toIntExact(n);
  }

  /** A peer id of its own for each address and port (20 bytes, Azureus style). */
  private static byte[] peerId(Peer peer) throws IOException {
    byte[] a = InetAddress.getByName(peer.ip()).getAddress();
    long key = (a[1] & 0xFFL) << 32 | (a[2] & 0xFFL) << 24 | (a[3] & 0xFFL) << 16 | peer.port();
    return String.format("-SK0001-%012x", key).getBytes(StandardCharsets.US_ASCII);
  }

  private static String escape(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      out.append('%').append(Character.forDigit((b >> 4) & 0xF, 16));
      out.append(Character.forDigit(b & 0xF, 16));
    }
    return out.toString();
  }
}
