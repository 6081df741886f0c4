package io.swarmkeeper.http;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one header the trusted proxies write to name the client ({@code http.proxy-header}). Only
 * that header is read: a proxy passes the others through from the client untouched, so believing
 * them would let any client name a victim's address.
 */
public enum ProxyHeader {
  /** {@code X-Forwarded-For}, which the proxy appends to (nginx, HAProxy, most load balancers). */
  X_FORWARDED_FOR("x-forwarded-for", "X-Forwarded-For"),
  /** RFC 7239 {@code Forwarded: for=...}, appended to like X-Forwarded-For. */
  FORWARDED("forwarded", "Forwarded"),
  /** {@code X-Real-IP}, which the proxy overwrites with the address it saw (one value). */
  X_REAL_IP("x-real-ip", "X-Real-IP");

  private final String configName;
  private final String headerName;

  ProxyHeader(String configName, String headerName) {
    this.configName = configName;
    this.headerName = headerName;
  }

  /** The value of {@code http.proxy-header} that selects this header. */
  public String configName() {
    return configName;
  }

  public String headerName() {
    return headerName;
  }

  /** The header a config value names (case-insensitive); the error lists the allowed values. */
  public static ProxyHeader fromConfig(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (ProxyHeader h : values()) {
      if (h.configName.equals(v)) {
        return h;
      }
    }
    throw new IllegalArgumentException(
        "http.proxy-header must be one of "
            + Arrays.stream(values()).map(h -> h.configName).collect(Collectors.joining(", "))
            + ", got '"
            + value
            + "'");
  }
}
