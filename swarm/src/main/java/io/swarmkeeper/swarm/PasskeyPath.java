package io.swarmkeeper.swarm;

/**
 * The passkey in a private tracker's URL path, {@code /{passkey}/announce} or {@code
 * /{passkey}/scrape}: read from the HTTP path and from a UDP announce's BEP 41 URL data alike, so
 * both trackers take the same paths.
 */
public final class PasskeyPath {
  private PasskeyPath() {}

  /**
   * The first segment of {@code path} when the path is {@code /{segment}/announce} or {@code
   * /{segment}/scrape} (a query after {@code ?} is ignored); null for any other path, or null.
   */
  public static String passkey(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    int query = path.indexOf('?');
    int end = query < 0 ? path.length() : query;
    int slash = path.indexOf('/', 1);
    if (slash < 2 || slash >= end) {
      return null; // no segment, or none before the query
    }
    return path.startsWith("/announce", slash) && end - slash == 9
            || path.startsWith("/scrape", slash) && end - slash == 7
        ? path.substring(1, slash)
        : null;
  }

  /** {@code path} without its passkey segment: {@code /announce} or {@code /scrape}. */
  public static String route(String path, String passkey) {
    return passkey == null ? path : path.substring(passkey.length() + 1);
  }
}
