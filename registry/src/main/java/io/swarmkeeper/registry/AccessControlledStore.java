package io.swarmkeeper.registry;

import io.swarmkeeper.swarm.AnnounceCall;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.AnnounceRefusedException.Cause;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.ForwardingSwarmStore;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The access modes in front of a {@link SwarmStore}. Whitelist: announces only for torrents in the
 * registry; the others are refused with "unregistered torrent" (a BEP 15 error packet, a bencoded
 * failure reason: the trackers already say a refusal's message). Private: the same, and only from a
 * holder of a valid passkey ({@code /{passkey}/announce} over HTTP, BEP 41 URL data over UDP);
 * scrapes need one too.
 *
 * <p>What the registry holds is cached ({@link AccessCache}), registered torrents and unregistered
 * ones, valid passkeys and unknown ones alike, so an announce for a known torrent with a known key
 * never waits on PostgreSQL: it is answered inline, as the memory store answers. Only the first
 * announce of a torrent or key the cache has not seen waits for one indexed lookup. The registry's
 * change notifications (PostgreSQL {@code LISTEN/NOTIFY}, on every publish, delete and revocation,
 * from any node) drop the entry, so a deleted torrent or a revoked key is refused, and a new one
 * served, within a second on every node. If the listener was down, the caches are dropped once it
 * is back (what was notified meanwhile is lost); the expiry bounds staleness while it is down.
 * Known torrents and keys keep being answered while PostgreSQL is away; an unknown one gets an
 * error until it returns.
 */
public final class AccessControlledStore extends ForwardingSwarmStore {
  /** The refusals; they carry no stack trace (they are answers). */
  static final AnnounceRefusedException UNREGISTERED =
      new AnnounceRefusedException(Cause.UNREGISTERED, "unregistered torrent");

  static final AnnounceRefusedException NO_PASSKEY =
      new AnnounceRefusedException(
          Cause.PASSKEY, "private tracker: announce with your passkey, /PASSKEY/announce");

  static final AnnounceRefusedException INVALID_PASSKEY =
      new AnnounceRefusedException(Cause.PASSKEY, "invalid passkey");

  static final AnnounceRefusedException EXPIRED_PASSKEY =
      new AnnounceRefusedException(Cause.PASSKEY, "passkey expired");

  static final AnnounceRefusedException NO_FULL_SCRAPE =
      new AnnounceRefusedException(
          Cause.PASSKEY, "private tracker: scrape named torrents with your passkey");

  /** What {@link TorrentRegistry#createPasskey} makes; anything else is refused unlooked-up. */
  private static final Pattern PASSKEY = Pattern.compile("[0-9a-f]{32}");

  private final TorrentRegistry registry;

  /** Which torrents are registered (valid forever) and which are not. */
  private final AccessCache<InfoHash> known;

  /** Private mode: which passkeys exist, until when; null in whitelist mode. */
  private final AccessCache<String> passkeys;

  private AccessControlledStore(
      SwarmStore swarms,
      TorrentRegistry registry,
      long cacheSize,
      Duration expiry,
      boolean passkeysNeeded) {
    super(swarms);
    this.registry = registry;
    this.known = new AccessCache<>(cacheSize, expiry);
    registry.onChange(key -> known.invalidate(InfoHash.fromBytes(key)));
    registry.onResync(known::invalidateAll);
    if (passkeysNeeded) {
      passkeys = new AccessCache<>(cacheSize, expiry);
      registry.onPasskeyChange(passkeys::invalidate);
      registry.onResync(passkeys::invalidateAll);
    } else {
      passkeys = null;
    }
  }

  /**
   * Whitelist mode: only registered torrents.
   *
   * @param cacheSize torrents whose answer is kept (each about 100 bytes)
   * @param expiry how long an answer is kept without a notification dropping it
   */
  public static AccessControlledStore whitelist(
      SwarmStore swarms, TorrentRegistry registry, long cacheSize, Duration expiry) {
    return new AccessControlledStore(swarms, registry, cacheSize, expiry, false);
  }

  /**
   * Private mode: only registered torrents, only with a valid passkey.
   *
   * @param cacheSize torrents, and passkeys, whose answer is kept (each about 100 bytes)
   * @param expiry how long an answer is kept without a notification dropping it
   */
  public static AccessControlledStore privateTracker(
      SwarmStore swarms, TorrentRegistry registry, long cacheSize, Duration expiry) {
    return new AccessControlledStore(swarms, registry, cacheSize, expiry, true);
  }

  /**
   * Inline when the torrent (and in private mode the key) is cached as good and the inner store
   * answers inline: one or two cache lookups an announce. Anything else goes through {@link
   * #announce}, whose failed future is the refusal (allocated only for refused announces).
   */
  @Override
  public boolean answersInline(AnnounceCall call) {
    return swarms.answersInline(call)
        && known.validNow(call.infoHashLookup())
        && (passkeys == null || passkeys.validNow(call.passkey()));
  }

  @Override
  public Future<AnnounceResult> announce(AnnounceRequest request) {
    return admit(request.passkey()).compose(v -> registered(request, request.infoHash()));
  }

  private Future<AnnounceResult> registered(AnnounceRequest request, InfoHash hash) {
    long registered = known.validUntil(hash);
    if (registered != AccessCache.UNKNOWN) {
      return registered != AccessCache.NOT_FOUND
          ? swarms.announce(request)
          : Future.failedFuture(UNREGISTERED);
    }
    return registry
        .isRegistered(hash.toBytes())
        .compose(
            yes -> {
              known.put(hash, yes ? Long.MAX_VALUE : AccessCache.NOT_FOUND);
              return yes ? swarms.announce(request) : Future.failedFuture(UNREGISTERED);
            });
  }

  /** Succeeds when no key is needed or {@code passkey} is valid; else fails with the refusal. */
  private Future<Void> admit(String passkey) {
    if (passkeys == null) {
      return Future.succeededFuture();
    }
    if (passkey == null) {
      return Future.failedFuture(NO_PASSKEY);
    }
    if (!PASSKEY.matcher(passkey).matches()) {
      return Future.failedFuture(INVALID_PASSKEY); // not one we make: no lookup, nothing cached
    }
    long validUntil = passkeys.validUntil(passkey);
    if (validUntil != AccessCache.UNKNOWN) {
      return verdict(validUntil);
    }
    return registry
        .findPasskey(passkey)
        .compose(
            key -> {
              long until =
                  key == null
                      ? AccessCache.NOT_FOUND
                      : key.expiresAt() == null
                          ? Long.MAX_VALUE
                          : key.expiresAt().toInstant().toEpochMilli();
              passkeys.put(passkey, until);
              return verdict(until);
            });
  }

  private static Future<Void> verdict(long validUntil) {
    if (validUntil == AccessCache.NOT_FOUND) {
      return Future.failedFuture(INVALID_PASSKEY);
    }
    return validUntil > System.currentTimeMillis()
        ? Future.succeededFuture()
        : Future.failedFuture(EXPIRED_PASSKEY);
  }

  /**
   * A scrape without a key: served in whitelist mode (a torrent never announced, as unregistered
   * ones are, has no swarm: zeros), refused in private mode.
   */
  @Override
  public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes) {
    return scrape(infoHashes, null);
  }

  @Override
  public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes, String passkey) {
    return admit(passkey).compose(v -> swarms.scrape(infoHashes));
  }

  /** A full scrape lists every swarm: not from a private tracker. */
  @Override
  public Future<Map<InfoHash, ScrapeStats>> scrapeAll(int limit) {
    return passkeys == null ? swarms.scrapeAll(limit) : Future.failedFuture(NO_FULL_SCRAPE);
  }
}
