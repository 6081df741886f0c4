package io.swarmkeeper.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who the client is when the TCP peer is a trusted proxy. Each proxy on the way appends the address
 * it saw to the right of the header, so only the right end is written by proxies; everything to the
 * left of the first untrusted address came from the client and may be forged. The client is
 * therefore the right-most address that is not itself a trusted proxy (nginx's {@code
 * real_ip_recursive}); if every address is a trusted proxy, the left-most (a client inside the
 * proxies' network). An entry there that is no address ({@code unknown}, an RFC 7239 obfuscated
 * identifier, garbage) means the proxy could not say who the client is: no address, not a guess.
 */
final class ClientAddressResolver {
  private final AddressMatcher trustedProxies;
  private final ProxyHeader header;

  ClientAddressResolver(AddressMatcher trustedProxies, ProxyHeader header) {
    this.trustedProxies = trustedProxies;
    this.header = header;
  }

  ProxyHeader header() {
    return header;
  }

  /** Whether a TCP peer is a trusted proxy, whose header names the client. */
  boolean trusts(InetAddress peer) {
    return trustedProxies.matches(peer);
  }

  /**
   * The client the header lines name (every line of the header, in order), or null if they name
   * none that can be used.
   */
  InetAddress client(List<String> lines) {
    return switch (header) {
      case X_REAL_IP -> lines.isEmpty() ? null : node(lines.get(lines.size() - 1).trim());
      case X_FORWARDED_FOR -> rightMostUntrusted(forwardedForEntries(lines));
      case FORWARDED -> {
        List<String> nodes = forwardedNodes(lines);
        yield nodes == null ? null : rightMostUntrusted(nodes);
      }
    };
  }

  private InetAddress rightMostUntrusted(List<String> nodes) {
    InetAddress leftMost = null;
    for (int i = nodes.size() - 1; i >= 0; i--) {
      InetAddress a = nodes.get(i) == null ? null : node(nodes.get(i));
      if (a == null) {
        return null;
      }
      if (!trustedProxies.matches(a)) {
        return a;
      }
      leftMost = a;
    }
    return leftMost;
  }

  private static List<String> forwardedForEntries(List<String> lines) {
    List<String> entries = new ArrayList<>();
    for (String line : lines) {
      for (String entry : line.split(",", -1)) {
        entries.add(entry.trim());
      }
    }
    return entries;
  }

  /**
   * An address as proxies write it: {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1},
   * {@code [2001:db8::1]} or {@code [2001:db8::1]:4711}; null for anything else.
   */
  static InetAddress node(String text) {
    String host = text;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          return null;
        }
        port = rest.substring(1);
      }
      if (host.indexOf(':') < 0) {
        return null; // brackets hold IPv6 only
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = text.substring(text.indexOf(':') + 1);
      if (host.indexOf('.') < 0) {
        return null;
      }
    }
    if (port != null && !validPort(port)) {
      return null;
    }
    return IpLiteral.address(host);
  }

  /**
   * A port number, or an RFC 7239 obfuscated port ({@code _abc}): the address is usable either way.
   */
  private static boolean validPort(String port) {
    if (port.matches("[0-9]{1,5}")) {
      return Integer.parseInt(port) <= 65535;
    }
    return port.matches("_[A-Za-z0-9._-]+");
  }

  /**
   * The {@code for} value of each element of the RFC 7239 {@code Forwarded} lines, null for an
   * element without exactly one; null for the whole if the lines are not RFC 7239 syntax (then no
   * element can be trusted to be where it seems).
   */
  static List<String> forwardedNodes(List<String> lines) {
    List<String> nodes = new ArrayList<>();
    for (String line : lines) {
      if (!parseForwarded(line, nodes)) {
        return null;
      }
    }
    return nodes;
  }

  private static boolean parseForwarded(String s, List<String> nodes) {
    int n = s.length();
    int pos = 0;
    String forValue = null;
    int forCount = 0;
    boolean pairs = false;
    while (true) {
      pos = skipSpace(s, pos);
      if (pos >= n || s.charAt(pos) == ',') {
        if (pairs) {
          nodes.add(forCount == 1 ? forValue : null);
        }
        if (pos >= n) {
          return true;
        }
        pos++;
        forValue = null;
        forCount = 0;
        pairs = false;
        continue;
      }
      if (s.charAt(pos) == ';') {
        pos++;
        continue;
      }
      int start = pos;
      while (pos < n && isTokenChar(s.charAt(pos))) {
        pos++;
      }
      if (pos == start || pos >= n || s.charAt(pos) != '=') {
        return false;
      }
      String name = s.substring(start, pos).toLowerCase(Locale.ROOT);
      pos++;
      String value;
      if (pos < n && s.charAt(pos) == '"') {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (pos < n && s.charAt(pos) != '"') {
          if (s.charAt(pos) == '\\') {
            pos++;
            if (pos >= n) {
              return false;
            }
          }
          sb.append(s.charAt(pos++));
        }
        if (pos >= n) {
          return false; // unterminated quoted string
        }
        pos++;
        value = sb.toString();
      } else {
        // RFC 7239 wants "..." around a value with ':' or '[', but proxies that omit them exist
        start = pos;
        while (pos < n && " \t,;\"".indexOf(s.charAt(pos)) < 0) {
          pos++;
        }
        if (pos == start) {
          return false;
        }
        value = s.substring(start, pos);
      }
      if (name.equals("for")) {
        forCount++;
        forValue = value;
      }
      pairs = true;
      pos = skipSpace(s, pos);
      if (pos < n && s.charAt(pos) != ',' && s.charAt(pos) != ';') {
        return false;
      }
    }
  }

  private static int skipSpace(String s, int pos) {
    while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
      pos++;
    }
    return pos;
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
