package io.swarmkeeper.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swarmkeeper.swarm.AnnounceCall;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerCensus;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Whitelist mode: a {@link SwarmStore} that takes announces only for torrents in the registry and
 * refuses the others with "unregistered torrent" (a BEP 15 error packet, a bencoded failure reason:
 * the trackers already say a refusal's message). What the registry holds is cached in a bounded
 * Caffeine cache, registered and unregistered alike, so an announce for a known torrent never waits
 * on PostgreSQL: it is answered inline, as the memory store answers. Only the first announce of a
 * torrent the cache has not seen waits for one indexed lookup. The registry's change notifications
 * (PostgreSQL {@code LISTEN/NOTIFY}, on every publish and delete, from any node) drop the entry, so
 * a deleted torrent is refused, and a new one served, within a second on every node. If the
 * listener was down, the whole cache is dropped once it is back (what was notified meanwhile is
 * lost); the expiry bounds staleness while it is down. Known torrents keep being answered while
 * PostgreSQL is away; an unknown one gets an error until it returns.
 */
public final class RegisteredOnlyStore implements SwarmStore {
  /** The refusal; carries no stack trace (it is an answer). */
  static final AnnounceRefusedException UNREGISTERED =
      new AnnounceRefusedException(
          AnnounceRefusedException.Cause.UNREGISTERED, "unregistered torrent");

  private final SwarmStore swarms;
  private final TorrentRegistry registry;
  private final Cache<InfoHash, Boolean> known;

  /**
   * @param cacheSize torrents whose answer is kept (each about 100 bytes)
   * @param expiry how long an answer is kept without a notification dropping it
   */
  public RegisteredOnlyStore(
      SwarmStore swarms, TorrentRegistry registry, long cacheSize, Duration expiry) {
    this.swarms = swarms;
    this.registry = registry;
    this.known = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(expiry).build();
    registry.onChange(key -> known.invalidate(InfoHash.fromBytes(key)));
    registry.onResync(known::invalidateAll);
  }

  /**
   * Inline when the torrent is cached as registered and the inner store answers inline: one cache
   * lookup an announce. A torrent cached as unregistered goes through {@link #announce}, whose
   * failed future is the refusal (allocated only for refused announces).
   */
  @Override
  public boolean answersInline(AnnounceCall call) {
    return swarms.answersInline(call) && Boolean.TRUE.equals(known.getIfPresent(call.infoHash()));
  }

  /** Called right after {@link #answersInline(AnnounceCall)} said yes: the torrent is known. */
  @Override
  public void announceInto(AnnounceCall call) {
    swarms.announceInto(call);
  }

  @Override
  public Future<AnnounceResult> announce(AnnounceRequest request) {
    InfoHash hash = request.infoHash();
    Boolean registered = known.getIfPresent(hash);
    if (registered != null) {
      return registered ? swarms.announce(request) : Future.failedFuture(UNREGISTERED);
    }
    return registry
        .isRegistered(hash.toBytes())
        .compose(
            yes -> {
              known.put(hash, yes);
              return yes ? swarms.announce(request) : Future.failedFuture(UNREGISTERED);
            });
  }

  /** Scrapes pass through: a torrent never announced (unregistered ones) has no swarm, zeros. */
  @Override
  public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes) {
    return swarms.scrape(infoHashes);
  }

  @Override
  public Future<Map<InfoHash, ScrapeStats>> scrapeAll(int limit) {
    return swarms.scrapeAll(limit);
  }

  @Override
  public long swarmCount() {
    return swarms.swarmCount();
  }

  @Override
  public long peerCount() {
    return swarms.peerCount();
  }

  @Override
  public PeerCensus census() {
    return swarms.census();
  }
}
