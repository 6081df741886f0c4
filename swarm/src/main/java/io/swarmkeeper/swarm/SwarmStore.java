package io.swarmkeeper.swarm;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where swarms live. Protocols translate their wire format into these calls; implementations decide
 * where the swarm is (this process, a Hazelcast member, Redis). Failures travel in the future,
 * never as exceptions thrown from these methods.
 */
public interface SwarmStore {

  /** Records the announce and answers the swarm's counts and a sample of its other peers. */
  Future<AnnounceResult> announce(AnnounceRequest request);

  /**
   * Whether this store answers an announce on the calling thread, into an {@link AnnounceCall}
   * ({@link #announceInto}), without a future or any other allocation: the in-memory store does.
   */
  default boolean answersInline() {
    return false;
  }

  /**
   * Whether this store answers this announce inline ({@link #announceInto}); a store in front of
   * another may know only per torrent. The trackers ask this one, with the call filled in.
   */
  default boolean answersInline(AnnounceCall call) {
    return answersInline();
  }

  /**
   * The announce answered on the calling thread into {@code call}; only for a store that {@link
   * #answersInline()}.
   *
   * @throws AnnounceRefusedException when a cap refuses it
   */
  default void announceInto(AnnounceCall call) {
    throw new UnsupportedOperationException("this store answers announces later: use announce");
  }

  /** The counts of each swarm, in the order asked; an unknown swarm answers zeros. */
  Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes);

  /**
   * A scrape from the holder of {@code passkey} (from the scrape URL, {@code /{passkey}/scrape};
   * null without one): a private tracker checks it and refuses with an {@link
   * AnnounceRefusedException}; other stores ignore it.
   */
  default Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes, String passkey) {
    return scrape(infoHashes);
  }

  /**
   * The counts of up to {@code limit} swarms (a full scrape); stores that cannot list their swarms
   * answer a failed future.
   */
  default Future<java.util.Map<InfoHash, ScrapeStats>> scrapeAll(int limit) {
    return Future.failedFuture(new UnsupportedOperationException("full scrape"));
  }

  /** Swarms held (an IPv4 and an IPv6 swarm of one info_hash count once). */
  long swarmCount();

  /** Peers held, over all swarms and both address families. */
  long peerCount();

  /** Peers by family and state as of the last full expiry sweep pass; null before the first. */
  default PeerCensus census() {
    return null;
  }

  /**
   * The largest swarms by peers (at most {@link LargestSwarms#SIZE}, largest first), counted over
   * the same pass as {@link #census()}; empty before the first, or where the store cannot list its
   * swarms.
   */
  default List<LargestSwarms.Entry> largestSwarms() {
    return List.of();
  }
}
