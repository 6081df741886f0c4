package io.swarmkeeper.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What private mode knows of passkeys, read on every announce. Keys that exist are few (one a user,
 * each made by the operator) and asked for all the time: they sit in a plain {@link
 * ConcurrentHashMap}, whose read is a hash and a probe, with no bookkeeping. Keys that do not exist
 * can be anything a client sends: they go to a bounded Caffeine cache, so that guessing cannot grow
 * memory. Either answer is trusted for {@code expiry} (a revocation's notification drops it
 * sooner); after that the next announce looks the key up again.
 */
final class PasskeyCache {
  /** Not cached (or cached too long ago): look it up. */
  static final long UNKNOWN = Long.MIN_VALUE + 1;

  /** The answer for a key that does not exist (never made, or revoked). */
  static final long NO_SUCH_KEY = Long.MIN_VALUE;

  /** A key's end of validity (epoch ms; MAX_VALUE for never) and when that was read. */
  private record Known(long validUntil, long readAt) {}

  private final ConcurrentHashMap<String, Known> existing = new ConcurrentHashMap<>();
  private final Cache<String, Boolean> missing;
  private final long expiryMillis;

  /**
   * @param maxMissing unknown keys remembered
   * @param expiry how long an answer is trusted without a notification dropping it
   */
  PasskeyCache(long maxMissing, Duration expiry) {
    this.missing = Caffeine.newBuilder().maximumSize(maxMissing).expireAfterWrite(expiry).build();
    this.expiryMillis = expiry.toMillis();
  }

  /** Whether {@code passkey} is cached as existing and valid now; the announce path's question. */
  boolean validNow(String passkey) {
    if (passkey == null) {
      return false;
    }
    Known k = existing.get(passkey);
    if (k == null) {
      return false;
    }
    long now = System.currentTimeMillis();
    return k.validUntil > now && now - k.readAt < expiryMillis;
  }

  /** The key's end of validity, {@link #NO_SUCH_KEY}, or {@link #UNKNOWN} to look it up. */
  long validUntil(String passkey) {
    Known k = existing.get(passkey);
    if (k != null) {
      if (System.currentTimeMillis() - k.readAt < expiryMillis) {
        return k.validUntil;
      }
      existing.remove(passkey, k);
      return UNKNOWN;
    }
    return missing.getIfPresent(passkey) != null ? NO_SUCH_KEY : UNKNOWN;
  }

  /** What a lookup found: {@link #NO_SUCH_KEY}, or the key's end of validity. */
  void put(String passkey, long validUntil) {
    if (validUntil == NO_SUCH_KEY) {
      existing.remove(passkey);
      missing.put(passkey, Boolean.TRUE);
    } else {
      missing.invalidate(passkey);
      existing.put(passkey, new Known(validUntil, System.currentTimeMillis()));
    }
  }

  /** The key was revoked or changed: forget it. */
  void invalidate(String passkey) {
    existing.remove(passkey);
    missing.invalidate(passkey);
  }

  /** The notifications were lost for a while: forget everything. */
  void invalidateAll() {
    existing.clear();
    missing.invalidateAll();
  }
}
