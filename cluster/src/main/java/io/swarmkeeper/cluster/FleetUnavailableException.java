package io.swarmkeeper.cluster;

/**
 * A remote call to the fleet failed (a member unreachable, an operation refused). The tracker
 * answers "temporarily unavailable" and counts it. Overload and timeouts are {@link
 * io.swarmkeeper.swarm.StoreBusyException}s instead: those requests are shed.
 */
public final class FleetUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FleetUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
