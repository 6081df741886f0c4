package io.swarmkeeper.swarm;

/**
 * An announce the store will not take because it would pass a {@link SwarmLimits} cap. It travels
 * in the failed future; the protocol tells the client its message (a BEP 15 error packet, a
 * bencoded failure reason) and counts it. Carries no stack trace: it is an answer, not a fault.
 */
public final class AnnounceRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Which cap refused the announce; a metrics label. */
  public enum Cause {
    SWARMS,
    PEERS,
    PEERS_PER_SWARM,
    SWARMS_PER_ADDRESS,
    PEERS_PER_ADDRESS,
    /**
     * Whitelist mode: the torrent is not in the registry (not a cap; added last: the fleet's wire
     * layout carries the ordinal).
     */
    UNREGISTERED,
    /** Private mode: no passkey, or one that is unknown, revoked or expired. */
    PASSKEY;

    /** Whether this is the access mode's refusal (whitelist, private) rather than a cap's. */
    public boolean access() {
      return this == UNREGISTERED || this == PASSKEY;
    }
  }

  private final Cause cause;

  public AnnounceRefusedException(Cause cause, String message) {
    super(message, null, false, false);
    this.cause = cause;
  }

  public Cause limit() {
    return cause;
  }
}
