package io.swarmkeeper.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The store's Lua scripts (resources beside this class) and the SHA-1 EVALSHA names them by. */
enum Scripts {
  ANNOUNCE("announce.lua"),
  SCRAPE("scrape.lua"),
  CENSUS("census.lua");

  final String source;
  final String sha;

  Scripts(String resource) {
    try (InputStream in = Scripts.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + resource);
      }
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      sha =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-1")
                      .digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
