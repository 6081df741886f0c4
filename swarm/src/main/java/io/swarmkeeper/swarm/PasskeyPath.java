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
    if (!(path.startsWith("/announce", slash) && end - slash == 9
        || path.startsWith("/scrape", slash) && end - slash == 7)) {
      return null;
    }
    // A client announces with the same key every time, and a thread serves many: the string made
    // last time is given again, so its hash code (the private tracker's cache key) is computed
    // once, not on every announce (it was 11 % of the tracker's CPU samples in private mode).
    String[] last = LAST.get();
    String previous = last[0];
    if (previous != null
        && previous.length() == slash - 1
        && path.regionMatches(1, previous, 0, slash - 1)) {
      return previous;
    }
    String key = path.substring(1, slash);
    last[0] = key;
    return key;
  }

  /** Each thread's last passkey. */
  private static final ThreadLocal<String[]> LAST = ThreadLocal.withInitial(() -> new String[1]);

  /** {@code path} without its passkey segment: {@code /announce} or {@code /scrape}. */
  public static String route(String path, String passkey) {
    return passkey == null ? path : path.substring(passkey.length() + 1);
  }
}
