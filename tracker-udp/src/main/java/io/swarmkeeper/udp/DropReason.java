package io.swarmkeeper.udp;

/** Why a datagram got no normal answer; a tag on the drop/error counters. */
public enum DropReason {
  TOO_SHORT("too_short"),
  BAD_PROTOCOL_ID("bad_protocol_id"),
  UNKNOWN_ACTION("unknown_action"),
  BAD_CONNECTION_ID("bad_connection_id"),
  BAD_EVENT("bad_event"),
  BAD_PORT("bad_port"),
  BAD_OPTIONS("bad_options"),
  BAD_SCRAPE("bad_scrape"),
  /** The store refused the announce past one of its caps on state; answered with its message. */
  REFUSED_BY_LIMIT("refused_by_limit"),
  /**
   * The access mode refused it: an unregistered torrent (whitelist, private) or no valid passkey
   * (private); answered with its message.
   */
  REFUSED_ACCESS("refused_access"),
  /** The store was too busy to take or answer the request in time; dropped, the client retries. */
  STORE_BUSY("store_busy"),
  STORE_FAILURE("store_failure");

  private final String tag;

  DropReason(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
