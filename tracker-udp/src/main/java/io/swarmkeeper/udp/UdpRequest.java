package io.swarmkeeper.udp;

import io.swarmkeeper.swarm.InfoHash;
import java.util.List;

/**
 * A BEP 15 request: one of the three a client sends ({@link UdpCodec#encode}), or a rejection the
 * tracker's {@link UdpCodec#decode} answers for bytes that are none of them. A {@link Malformed}
 * packet carries a transaction id and may be answered with an error packet once its connection id
 * checks out; {@link Garbage} is never answered, so the tracker cannot be made to reflect traffic.
 */
public sealed interface UdpRequest {

  /** Action 0: asks for a connection id. */
  record Connect(int transactionId) implements UdpRequest {}

  /**
   * Action 1, fields at BEP 15 offsets.
   *
   * @param peerId the client's 20-byte peer_id, one char per byte (ISO-8859-1)
   * @param ipAddress the packet's IP field (0 means "use the sender's address")
   * @param urlData BEP 41 URL data (path and query), or {@code null} when the packet had none
   */
  record Announce(
      long connectionId,
      int transactionId,
      InfoHash infoHash,
      String peerId,
      long downloaded,
      long left,
      long uploaded,
      int event,
      int ipAddress,
      int key,
      int numWant,
      int port,
      String urlData)
      implements UdpRequest {

    /** The same announce with other BEP 41 URL data ({@code null} for none). */
    public Announce withUrlData(String newUrlData) {
      return new Announce(
          connectionId,
          transactionId,
          infoHash,
          peerId,
          downloaded,
          left,
          uploaded,
          event,
          ipAddress,
          key,
          numWant,
          port,
          newUrlData);
    }
  }

  /** Action 2: up to the configured maximum of info hashes. */
  record Scrape(long connectionId, int transactionId, List<InfoHash> infoHashes)
      implements UdpRequest {}

  /** A request with a header good enough to answer: gets an error packet if its id is valid. */
  record Malformed(long connectionId, int transactionId, String message, DropReason reason)
      implements UdpRequest {}

  /** Nothing to answer: too short, or a connect with the wrong protocol id. */
  record Garbage(DropReason reason) implements UdpRequest {}
}
