package io.swarmkeeper.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the access modes know of the registry, read on every announce: which torrents are registered
 * and which passkeys exist. What exists is the operator's (published torrents, issued keys) and
 * asked for all the time: it sits in a plain {@link ConcurrentHashMap}, whose read is a hash and a
 * probe with no bookkeeping (a bounded Caffeine cache records every read for its eviction policy,
 * which cost private mode 17 % of its throughput; see docs/ARCHITECTURE.md), up to {@code maxSize}
 * entries (past that, answers are looked up again rather than kept). What does not exist can be
 * anything a client sends: it goes to a bounded Caffeine cache, so that guessing cannot grow
 * memory. Either answer is trusted for {@code expiry} (a notification drops it sooner); after that
 * the next announce looks it up again.
 *
 * @param <K> the key: a torrent's swarm key, or a passkey
 */
final class AccessCache<K> {
  /** Not cached (or cached too long ago): look it up. */
  static final long UNKNOWN = Long.MIN_VALUE + 1;

  /** The answer for what does not exist (a torrent not registered, a key never made or revoked). */
  static final long NOT_FOUND = Long.MIN_VALUE;

  /**
   * When something that exists stops being valid (epoch ms; MAX_VALUE for never), and when read.
   */
  private record Found(long validUntil, long readAt) {}

  private final ConcurrentHashMap<K, Found> found = new ConcurrentHashMap<>();
  private final Cache<K, Boolean> notFound;
  private final long maxSize;
  private final long expiryMillis;

  /**
   * @param maxSize entries kept of each kind
   * @param expiry how long an answer is trusted without a notification dropping it
   */
  AccessCache(long maxSize, Duration expiry) {
    this.notFound = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(expiry).build();
    this.maxSize = maxSize;
    this.expiryMillis = expiry.toMillis();
  }

  /**
   * Whether {@code key} is cached as existing and valid now: the announce path's question. The key
   * may be any object equal to a held key with its hash code (an {@code InfoHash.Lookup}).
   */
  boolean validNow(Object key) {
    if (key == null) {
      return false;
    }
    Found f = found.get(key);
    if (f == null) {
      return false;
    }
    long now = System.currentTimeMillis();
    return f.validUntil > now && now - f.readAt < expiryMillis;
  }

  /** The end of validity, {@link #NOT_FOUND}, or {@link #UNKNOWN} to look it up. */
  long validUntil(K key) {
    Found f = found.get(key);
    if (f != null) {
      if (System.currentTimeMillis() - f.readAt < expiryMillis) {
        return f.validUntil;
      }
      found.remove(key, f);
      return UNKNOWN;
    }
    return notFound.getIfPresent(key) != null ? NOT_FOUND : UNKNOWN;
  }

  /** What a lookup found: {@link #NOT_FOUND}, or the end of validity. */
  void put(K key, long validUntil) {
    if (validUntil == NOT_FOUND) {
      found.remove(key);
      notFound.put(key, Boolean.TRUE);
    } else {
      notFound.invalidate(key);
      if (found.size() < maxSize || found.containsKey(key)) {
        found.put(key, new Found(validUntil, System.currentTimeMillis()));
      }
    }
  }

  /** It changed (published, deleted, revoked): forget it. */
  void invalidate(K key) {
    found.remove(key);
    notFound.invalidate(key);
  }

  /** The notifications were lost for a while: forget everything. */
  void invalidateAll() {
    found.clear();
    notFound.invalidateAll();
  }
}
