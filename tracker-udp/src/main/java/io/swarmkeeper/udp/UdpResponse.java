package io.swarmkeeper.udp;

import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import java.util.List;

/**
 * A decoded BEP 15 answer, as a client reads it: one of the four responses, or {@link Unreadable}
 * when the bytes are none of them (a client counts it, it does not crash on it).
 */
public sealed interface UdpResponse {

  /** Action 0: the connection id to put in the next requests. */
  record Connected(int transactionId, long connectionId) implements UdpResponse {}

  /**
   * Action 1.
   *
   * @param peers IPv4 peers (6 bytes each) when the announce went over IPv4, else IPv6 (18 bytes)
   */
  record Announced(
      int transactionId, int intervalSeconds, int leechers, int seeders, List<PeerEndpoint> peers)
      implements UdpResponse {}

  /** Action 2: one entry per info hash asked for, in the order asked. */
  record Scraped(int transactionId, List<ScrapeStats> stats) implements UdpResponse {}

  /** Action 3: the tracker's message (US-ASCII). */
  record TrackerError(int transactionId, String message) implements UdpResponse {}

  /** Not a BEP 15 answer: what is wrong with it. */
  record Unreadable(String problem) implements UdpResponse {}
}
