package io.swarmkeeper.swarm;

import java.util.Objects;

/**
 * One announce as the store sees it, whatever protocol carried it.
 *
 * @param peer the endpoint other peers should connect to (address already chosen by the tracker)
 * @param left bytes the peer still lacks; 0 makes it a seeder
 * @param numWant how many peers to return, already resolved against defaults and limits (>= 0)
 * @param passkey the user's key from the announce URL, or null; only a private tracker reads it
 */
public record AnnounceRequest(
    InfoHash infoHash,
    PeerEndpoint peer,
    AnnounceEvent event,
    long left,
    int numWant,
    String passkey) {

  /** An announce without a passkey. */
  public AnnounceRequest(
      InfoHash infoHash, PeerEndpoint peer, AnnounceEvent event, long left, int numWant) {
    this(infoHash, peer, event, left, numWant, null);
  }

  public AnnounceRequest {
    Objects.requireNonNull(infoHash, "infoHash");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(event, "event");
    if (numWant < 0) {
      throw new IllegalArgumentException("numWant must be >= 0, got " + numWant);
    }
  }

  public boolean seeder() {
    return left == 0;
  }
}
