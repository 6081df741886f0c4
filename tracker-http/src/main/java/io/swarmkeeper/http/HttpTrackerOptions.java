package io.swarmkeeper.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Options of the HTTP tracker. Setters validate at once; unknown JSON keys are refused. */
public final class HttpTrackerOptions {
  public static final String DEFAULT_HOST = "::";
  public static final int DEFAULT_PORT = 6969;
  public static final boolean DEFAULT_ALLOW_IP_PARAMETER = false;
  public static final boolean DEFAULT_ALLOW_FULL_SCRAPE = false;

  private static final Set<String> KEYS =
      Set.of("host", "port", "trusted-proxies", "allow-ip-parameter", "allow-full-scrape");

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private List<String> trustedProxies = new ArrayList<>();
  private boolean allowIpParameter = DEFAULT_ALLOW_IP_PARAMETER;
  private boolean allowFullScrape = DEFAULT_ALLOW_FULL_SCRAPE;

  public HttpTrackerOptions() {}

  public HttpTrackerOptions(HttpTrackerOptions other) {
    host = other.host;
    port = other.port;
    trustedProxies = new ArrayList<>(other.trustedProxies);
    allowIpParameter = other.allowIpParameter;
    allowFullScrape = other.allowFullScrape;
  }

  public HttpTrackerOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown option http." + key + " (known: " + KEYS + ")");
      }
    }
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(json.getInteger("port", DEFAULT_PORT));
    Object proxies = json.getValue("trusted-proxies");
    List<String> list = new ArrayList<>();
    if (proxies instanceof JsonArray array) {
      array.forEach(p -> list.add(String.valueOf(p)));
    } else if (proxies instanceof String s && !s.isBlank()) {
      for (String p : s.split(",")) {
        list.add(p.trim());
      }
    }
    setTrustedProxies(list);
    setAllowIpParameter(json.getBoolean("allow-ip-parameter", DEFAULT_ALLOW_IP_PARAMETER));
    setAllowFullScrape(json.getBoolean("allow-full-scrape", DEFAULT_ALLOW_FULL_SCRAPE));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("trusted-proxies", String.join(",", trustedProxies))
        .put("allow-ip-parameter", allowIpParameter)
        .put("allow-full-scrape", allowFullScrape);
  }

  public String getHost() {
    return host;
  }

  public HttpTrackerOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("http.host must be an address, got '" + host + "'");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** 0 picks a free port (tests); -1 switches HTTP off. */
  public HttpTrackerOptions setPort(int port) {
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException("http.port must be -1..65535, got " + port);
    }
    this.port = port;
    return this;
  }

  public List<String> getTrustedProxies() {
    return trustedProxies;
  }

  /** Addresses or CIDR blocks whose X-Forwarded-For / X-Real-IP headers are believed. */
  public HttpTrackerOptions setTrustedProxies(List<String> proxies) {
    for (String p : proxies) {
      AddressMatcher.parse(p); // validates
    }
    this.trustedProxies = new ArrayList<>(proxies);
    return this;
  }

  public boolean isAllowIpParameter() {
    return allowIpParameter;
  }

  public HttpTrackerOptions setAllowIpParameter(boolean allow) {
    this.allowIpParameter = allow;
    return this;
  }

  public boolean isAllowFullScrape() {
    return allowFullScrape;
  }

  public HttpTrackerOptions setAllowFullScrape(boolean allow) {
    this.allowFullScrape = allow;
    return this;
  }
}
