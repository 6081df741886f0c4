package io.swarmkeeper.cluster;

/**
 * The fleet could not answer a request: too many were waiting, it took too long, or the remote call
 * failed. The tracker answers "temporarily unavailable" or drops the request, and counts it.
 */
public final class FleetUnavailableException extends RuntimeException {
  static final FleetUnavailableException OVERLOADED =
      new FleetUnavailableException("too many requests waiting on the fleet", null);
  static final FleetUnavailableException TIMED_OUT =
      new FleetUnavailableException("the fleet did not answer in time", null);

  FleetUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
