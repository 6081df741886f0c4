package io.swarmkeeper.registry;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Magnet links (BEP 9; BEP 52's {@code urn:btmh} for v2) for published torrents. */
final class Magnet {
  private Magnet() {}

  /** {@code magnet:?xt=urn:btih:...&xt=urn:btmh:1220...&dn=NAME&tr=URL...}. */
  static String link(TorrentRecord t, Iterable<String> trackerUrls) {
    HexFormat hex = HexFormat.of();
    StringBuilder s = new StringBuilder("magnet:?");
    String sep = "";
    if (t.infoHashV1() != null) {
      s.append("xt=urn:btih:").append(hex.formatHex(t.infoHashV1()));
      sep = "&";
    }
    if (t.infoHashV2() != null) {
      // multihash: 0x12 (sha2-256), 0x20 (32 bytes), then the digest
      s.append(sep).append("xt=urn:btmh:1220").append(hex.formatHex(t.infoHashV2()));
    }
    s.append("&dn=").append(encode(t.name()));
    for (String url : trackerUrls) {
      s.append("&tr=").append(encode(url));
    }
    return s.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
