package io.swarmkeeper.swarm;

/** The event of an announce, numbered as BEP 15 numbers them on the wire. */
public enum AnnounceEvent {
  NONE,
  COMPLETED,
  STARTED,
  STOPPED;

  private static final AnnounceEvent[] BY_CODE = values();

  /** The event for a BEP 15 code, or {@code null} when the code is not one. */
  public static AnnounceEvent fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  public int code() {
    return ordinal();
  }
}
