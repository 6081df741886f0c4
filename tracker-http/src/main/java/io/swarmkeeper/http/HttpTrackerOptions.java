package io.swarmkeeper.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Options of the HTTP tracker. Setters validate at once; unknown JSON keys are refused. */
public final class HttpTrackerOptions {
  public static final String DEFAULT_HOST = "::";
  public static final int DEFAULT_PORT = 6969;
  public static final boolean DEFAULT_ALLOW_IP_PARAMETER = false;
  public static final boolean DEFAULT_ALLOW_FULL_SCRAPE = false;

  /**
   * Well below the descriptor limits of a service (systemd and container runtimes give 524,288 or
   * more), and never above what the process's own limit leaves: the cap used is computed at start.
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

  /**
   * A carrier-grade NAT shares one IPv4 address among tens of subscribers (port blocks of 1,000 to
   * 4,000 ports give 16-64 per address). A client's tracker connection lives one announce plus at
   * most the request timeout, and even a client with a few hundred torrents keeps one or two open
   * on average: 64 subscribers x 2 = 128. One address then holds at most 1.3 % of the total cap.
   */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 128;

  /** No byte either way for this long closes a connection (a client that stopped reading). */
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 20;

  /**
   * Each request head must be complete this long after the connection opened or its previous answer
   * was sent: a client that trickles bytes (which resets the idle timeout) is cut here. A request
   * is one line and a few headers, one packet for every real client.
   */
  public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;

  public static final ProxyHeader DEFAULT_PROXY_HEADER = ProxyHeader.X_FORWARDED_FOR;

  private static final Set<String> KEYS =
      Set.of(
          "host",
          "port",
          "trusted-proxies",
          "proxy-header",
          "allow-ip-parameter",
          "allow-full-scrape",
          "max-connections",
          "max-connections-per-address",
          "idle-timeout-seconds",
          "request-timeout-seconds");

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private List<String> trustedProxies = new ArrayList<>();
  private ProxyHeader proxyHeader = DEFAULT_PROXY_HEADER;
  private boolean allowIpParameter = DEFAULT_ALLOW_IP_PARAMETER;
  private boolean allowFullScrape = DEFAULT_ALLOW_FULL_SCRAPE;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
  private int idleTimeoutSeconds = DEFAULT_IDLE_TIMEOUT_SECONDS;
  private int requestTimeoutSeconds = DEFAULT_REQUEST_TIMEOUT_SECONDS;

  public HttpTrackerOptions() {}

  public HttpTrackerOptions(HttpTrackerOptions other) {
    host = other.host;
    port = other.port;
    trustedProxies = new ArrayList<>(other.trustedProxies);
    proxyHeader = other.proxyHeader;
    allowIpParameter = other.allowIpParameter;
    allowFullScrape = other.allowFullScrape;
    maxConnections = other.maxConnections;
    maxConnectionsPerAddress = other.maxConnectionsPerAddress;
    idleTimeoutSeconds = other.idleTimeoutSeconds;
    requestTimeoutSeconds = other.requestTimeoutSeconds;
  }

  public HttpTrackerOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown option http." + key + " (known: " + KEYS + ")");
      }
    }
    setHost(text(json, "host", DEFAULT_HOST));
    setPort(whole(json, "port", DEFAULT_PORT));
    Object proxies = json.getValue("trusted-proxies");
    List<String> list = new ArrayList<>();
    if (proxies instanceof JsonArray array) {
      array.forEach(p -> list.add(String.valueOf(p)));
    } else if (proxies instanceof String s && !s.isBlank()) {
      for (String p : s.split(",")) {
        list.add(p.trim());
      }
    } else if (proxies != null && !(proxies instanceof String)) {
      throw new IllegalArgumentException(
          "http.trusted-proxies must be a list or comma-separated addresses or CIDR blocks, got "
              + proxies);
    }
    setTrustedProxies(list);
    setProxyHeader(
        ProxyHeader.fromConfig(text(json, "proxy-header", DEFAULT_PROXY_HEADER.configName())));
    setAllowIpParameter(bool(json, "allow-ip-parameter", DEFAULT_ALLOW_IP_PARAMETER));
    setAllowFullScrape(bool(json, "allow-full-scrape", DEFAULT_ALLOW_FULL_SCRAPE));
    setMaxConnections(whole(json, "max-connections", DEFAULT_MAX_CONNECTIONS));
    setMaxConnectionsPerAddress(
        whole(json, "max-connections-per-address", DEFAULT_MAX_CONNECTIONS_PER_ADDRESS));
    setIdleTimeoutSeconds(whole(json, "idle-timeout-seconds", DEFAULT_IDLE_TIMEOUT_SECONDS));
    setRequestTimeoutSeconds(
        whole(json, "request-timeout-seconds", DEFAULT_REQUEST_TIMEOUT_SECONDS));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("trusted-proxies", String.join(",", trustedProxies))
        .put("proxy-header", proxyHeader.configName())
        .put("allow-ip-parameter", allowIpParameter)
        .put("allow-full-scrape", allowFullScrape)
        .put("max-connections", maxConnections)
        .put("max-connections-per-address", maxConnectionsPerAddress)
        .put("idle-timeout-seconds", idleTimeoutSeconds)
        .put("request-timeout-seconds", requestTimeoutSeconds);
  }

  /** A whole number exactly (1.5 or 2^32 + 1 are refused, not rounded or wrapped). */
  private static int whole(JsonObject json, String key, int absent) {
    Object v = json.getValue(key);
    if (v == null) {
      return absent;
    }
    if (v instanceof Number n) {
      try {
        return new BigDecimal(n.toString()).intValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        // falls through to the refusal
      }
    }
    throw new IllegalArgumentException(
        "http." + key + " must be a whole number (-2147483648..2147483647), got '" + v + "'");
  }

  private static boolean bool(JsonObject json, String key, boolean absent) {
    Object v = json.getValue(key);
    if (v == null) {
      return absent;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException("http." + key + " must be true or false, got '" + v + "'");
  }

  private static String text(JsonObject json, String key, String absent) {
    Object v = json.getValue(key);
    if (v == null) {
      return absent;
    }
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("http." + key + " must be text, got '" + v + "'");
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

  /**
   * Addresses or CIDR blocks of the reverse proxies in front of the tracker; from them the client
   * address is read from {@link #setProxyHeader the proxy header}.
   */
  public HttpTrackerOptions setTrustedProxies(List<String> proxies) {
    try {
      AddressMatcher.of(proxies);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("http.trusted-proxies: " + e.getMessage());
    }
    this.trustedProxies = new ArrayList<>(proxies);
    return this;
  }

  public ProxyHeader getProxyHeader() {
    return proxyHeader;
  }

  /** The header the trusted proxies write to name the client; the only one read. */
  public HttpTrackerOptions setProxyHeader(ProxyHeader proxyHeader) {
    if (proxyHeader == null) {
      throw new IllegalArgumentException("http.proxy-header must be set");
    }
    this.proxyHeader = proxyHeader;
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

  public int getMaxConnections() {
    return maxConnections;
  }

  /** Most HTTP connections open at once, over all event loops. */
  public HttpTrackerOptions setMaxConnections(int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "http.max-connections must be >= 1, got " + maxConnections);
    }
    this.maxConnections = maxConnections;
    return this;
  }

  public int getMaxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  /** Most connections open at once from one IPv4 address or IPv6 /64; 0 for no limit. */
  public HttpTrackerOptions setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
    if (maxConnectionsPerAddress < 0) {
      throw new IllegalArgumentException(
          "http.max-connections-per-address must be >= 0 (0 for no limit), got "
              + maxConnectionsPerAddress);
    }
    this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    return this;
  }

  public int getIdleTimeoutSeconds() {
    return idleTimeoutSeconds;
  }

  public HttpTrackerOptions setIdleTimeoutSeconds(int seconds) {
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException(
          "http.idle-timeout-seconds must be 1..3600, got " + seconds);
    }
    this.idleTimeoutSeconds = seconds;
    return this;
  }

  public int getRequestTimeoutSeconds() {
    return requestTimeoutSeconds;
  }

  public HttpTrackerOptions setRequestTimeoutSeconds(int seconds) {
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException(
          "http.request-timeout-seconds must be 1..3600, got " + seconds);
    }
    this.requestTimeoutSeconds = seconds;
    return this;
  }
}
