package io.swarmkeeper.server;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The registry's REST API ({@code /api/v1}): the bearer token its writes need ({@code api.token}).
 * Without a token every write is refused; reads need none.
 */
public final class ApiOptions {
  /** Shorter tokens are guessable; a generated one (openssl rand -hex 32) is 64 characters. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private static final Set<String> KEYS = Set.of("token", "announce-urls");

  private String token = "";
  private List<String> announceUrls = List.of();

  public ApiOptions() {}

  public ApiOptions(ApiOptions other) {
    this.token = other.token;
    this.announceUrls = other.announceUrls;
  }

  public ApiOptions(JsonObject json) {
    OptionValues.known(json, "api.", KEYS);
    setToken(OptionValues.string(json, "api.", "token", ""));
    setAnnounceUrls(OptionValues.string(json, "api.", "announce-urls", ""));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("token", token)
        .put("announce-urls", String.join(",", announceUrls));
  }

  /** The announce URLs magnet links name; empty: this node's ports on the API request's host. */
  public List<String> getAnnounceUrls() {
    return announceUrls;
  }

  /** Comma-separated {@code udp://}, {@code http://} or {@code https://} URLs. */
  public ApiOptions setAnnounceUrls(String urls) {
    List<String> list = new ArrayList<>();
    for (String u : (urls == null ? "" : urls).split(",")) {
      String url = u.trim();
      if (url.isEmpty()) {
        continue;
      }
      if (!url.startsWith("udp://") && !url.startsWith("http://") && !url.startsWith("https://")) {
        throw new IllegalArgumentException(
            "api.announce-urls must be udp://, http:// or https:// URLs, got '" + url + "'");
      }
      list.add(url);
    }
    this.announceUrls = List.copyOf(list);
    return this;
  }

  public String getToken() {
    return token;
  }

  public ApiOptions setToken(String token) {
    String t = token == null ? "" : token.trim();
    if (!t.isEmpty() && t.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          "api.token must be at least " + MIN_TOKEN_LENGTH + " characters, got " + t.length());
    }
    this.token = t;
    return this;
  }
}
