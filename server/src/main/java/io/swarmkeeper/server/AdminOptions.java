package io.swarmkeeper.server;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Options of the admin listener, a small HTTP server apart from the tracker's that answers {@code
 * /health} and {@code /ready} (and is where metrics and an API will go). Off by default.
 */
public final class AdminOptions {
  /**
   * Loopback: what is served here is for the operator, and later issues add metrics and an API to
   * it; a Kubernetes probe reaches the pod's address, so a manifest sets {@code ::}.
   */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public static final int DEFAULT_PORT = -1;

  private static final Set<String> KEYS = Set.of("host", "port");

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;

  public AdminOptions() {}

  public AdminOptions(AdminOptions other) {
    this.host = other.host;
    this.port = other.port;
  }

  public AdminOptions(JsonObject json) {
    OptionValues.known(json, "admin.", KEYS);
    setHost(OptionValues.string(json, "admin.", "host", DEFAULT_HOST));
    setPort(OptionValues.integer(json, "admin.", "port", DEFAULT_PORT));
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port);
  }

  public String getHost() {
    return host;
  }

  public AdminOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("admin.host must be an address, got '" + host + "'");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** -1 switches the admin listener off; 0 picks a free port (tests). */
  public AdminOptions setPort(int port) {
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException("admin.port must be -1..65535, got " + port);
    }
    this.port = port;
    return this;
  }
}
