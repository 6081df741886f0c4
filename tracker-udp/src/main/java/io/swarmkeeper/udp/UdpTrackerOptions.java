package io.swarmkeeper.udp;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Options of the UDP (BEP 15) listener. Setters validate at once; unknown JSON keys are refused.
 */
public final class UdpTrackerOptions {
  public static final String DEFAULT_HOST = "::";
  public static final int DEFAULT_PORT = 6969;
  public static final UdpTransport DEFAULT_TRANSPORT = UdpTransport.AUTO;
  public static final int DEFAULT_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_SEND_BUFFER_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_CONNECTION_ID_LIFETIME_SECONDS = 180;
  public static final String DEFAULT_CONNECTION_ID_KEY = "";
  public static final boolean DEFAULT_ALLOW_IP_OVERRIDE = false;

  private static final Set<String> KEYS =
      Set.of(
          "host",
          "port",
          "transport",
          "receive-buffer-bytes",
          "send-buffer-bytes",
          "connection-id-lifetime-seconds",
          "connection-id-key",
          "allow-ip-override");

  /** How datagrams reach the handler. */
  public enum UdpTransport {
    /** Netty's epoll channel where native epoll is available, else Vert.x's DatagramSocket. */
    AUTO,
    /** A Netty {@code EpollDatagramChannel} on the verticle's event loop (Linux). */
    EPOLL,
    /** Vert.x's portable {@code DatagramSocket}. */
    VERTX;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The transport named, in any case; a message lists the names otherwise. */
    public static UdpTransport parse(String name) {
      for (UdpTransport t : values()) {
        if (t.toString().equalsIgnoreCase(name.trim())) {
          return t;
        }
      }
      throw new IllegalArgumentException(
          "udp.transport must be one of "
              + java.util.Arrays.stream(values())
                  .map(UdpTransport::toString)
                  .collect(java.util.stream.Collectors.joining(", "))
              + ", got '"
              + name
              + "'");
    }
  }

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private UdpTransport transport = DEFAULT_TRANSPORT;
  private int receiveBufferBytes = DEFAULT_RECEIVE_BUFFER_BYTES;
  private int sendBufferBytes = DEFAULT_SEND_BUFFER_BYTES;
  private int connectionIdLifetimeSeconds = DEFAULT_CONNECTION_ID_LIFETIME_SECONDS;
  private String connectionIdKey = DEFAULT_CONNECTION_ID_KEY;
  private boolean allowIpOverride = DEFAULT_ALLOW_IP_OVERRIDE;

  public UdpTrackerOptions() {}

  public UdpTrackerOptions(UdpTrackerOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.transport = other.transport;
    this.receiveBufferBytes = other.receiveBufferBytes;
    this.sendBufferBytes = other.sendBufferBytes;
    this.connectionIdLifetimeSeconds = other.connectionIdLifetimeSeconds;
    this.connectionIdKey = other.connectionIdKey;
    this.allowIpOverride = other.allowIpOverride;
  }

  public UdpTrackerOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown option udp." + key + " (known: " + KEYS + ")");
      }
    }
    setHost(string(json, "host", DEFAULT_HOST));
    setPort(integer(json, "port", DEFAULT_PORT));
    setTransport(UdpTransport.parse(string(json, "transport", DEFAULT_TRANSPORT.toString())));
    setReceiveBufferBytes(integer(json, "receive-buffer-bytes", DEFAULT_RECEIVE_BUFFER_BYTES));
    setSendBufferBytes(integer(json, "send-buffer-bytes", DEFAULT_SEND_BUFFER_BYTES));
    setConnectionIdLifetimeSeconds(
        integer(json, "connection-id-lifetime-seconds", DEFAULT_CONNECTION_ID_LIFETIME_SECONDS));
    setConnectionIdKey(string(json, "connection-id-key", DEFAULT_CONNECTION_ID_KEY));
    Object allow = json.getValue("allow-ip-override", DEFAULT_ALLOW_IP_OVERRIDE);
    if (!(allow instanceof Boolean b)) {
      throw new IllegalArgumentException(
          "udp.allow-ip-override must be true or false, got '" + allow + "'");
    }
    setAllowIpOverride(b);
  }

  // JsonObject.getInteger would truncate 1.5 to 1 and wrap 2^32 + 1 to 1; a value is taken only
  // when it is exactly an int.
  private static int integer(JsonObject json, String key, int otherwise) {
    Object v = json.getValue(key, otherwise);
    if ((v instanceof Integer || v instanceof Long || v instanceof Short)
        && ((Number) v).longValue() == ((Number) v).intValue()) {
      return ((Number) v).intValue();
    }
    throw new IllegalArgumentException("udp." + key + " must be an integer, got '" + v + "'");
  }

  private static String string(JsonObject json, String key, String otherwise) {
    Object v = json.getValue(key, otherwise);
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("udp." + key + " must be a string, got '" + v + "'");
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("transport", transport.toString())
        .put("receive-buffer-bytes", receiveBufferBytes)
        .put("send-buffer-bytes", sendBufferBytes)
        .put("connection-id-lifetime-seconds", connectionIdLifetimeSeconds)
        .put("connection-id-key", connectionIdKey)
        .put("allow-ip-override", allowIpOverride);
  }

  public String getHost() {
    return host;
  }

  public UdpTrackerOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("udp.host must be an address, got '" + host + "'");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** 0 picks a free port (tests). */
  public UdpTrackerOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("udp.port must be 0..65535, got " + port);
    }
    this.port = port;
    return this;
  }

  public UdpTransport getTransport() {
    return transport;
  }

  public UdpTrackerOptions setTransport(UdpTransport transport) {
    if (transport == null) {
      throw new IllegalArgumentException("udp.transport must be auto, epoll or vertx");
    }
    this.transport = transport;
    return this;
  }

  public int getReceiveBufferBytes() {
    return receiveBufferBytes;
  }

  public UdpTrackerOptions setReceiveBufferBytes(int bytes) {
    if (bytes < 4096) {
      throw new IllegalArgumentException("udp.receive-buffer-bytes must be >= 4096, got " + bytes);
    }
    this.receiveBufferBytes = bytes;
    return this;
  }

  public int getSendBufferBytes() {
    return sendBufferBytes;
  }

  public UdpTrackerOptions setSendBufferBytes(int bytes) {
    if (bytes < 4096) {
      throw new IllegalArgumentException("udp.send-buffer-bytes must be >= 4096, got " + bytes);
    }
    this.sendBufferBytes = bytes;
    return this;
  }

  public int getConnectionIdLifetimeSeconds() {
    return connectionIdLifetimeSeconds;
  }

  public UdpTrackerOptions setConnectionIdLifetimeSeconds(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException(
          "udp.connection-id-lifetime-seconds must be >= 1, got " + seconds);
    }
    this.connectionIdLifetimeSeconds = seconds;
    return this;
  }

  public String getConnectionIdKey() {
    return connectionIdKey;
  }

  /** 32 hex digits shared by every node of a fleet, or empty for a random key at start. */
  public UdpTrackerOptions setConnectionIdKey(String hex) {
    String value = hex == null ? "" : hex;
    if (!value.isEmpty()) {
      ConnectionIds.keyFromHex(value); // validates
    }
    this.connectionIdKey = value;
    return this;
  }

  public boolean isAllowIpOverride() {
    return allowIpOverride;
  }

  /** Trust the IP field of announces; only on trusted networks (anyone could name a victim). */
  public UdpTrackerOptions setAllowIpOverride(boolean allow) {
    this.allowIpOverride = allow;
    return this;
  }
}
