package io.swarmkeeper.swarm;

/**
 * A request the store could not take or answer in time: too many were already waiting on a remote
 * store, or it did not answer within its deadline. A UDP tracker drops the request and counts it
 * (the client retries, by then perhaps with success; an error packet would only add load). Carries
 * no stack trace: it is load shedding, not a fault.
 */
public final class StoreBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreBusyException(String message) {
    super(message, null, false, false);
  }
}
