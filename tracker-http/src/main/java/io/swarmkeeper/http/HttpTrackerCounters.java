package io.swarmkeeper.http;

import io.swarmkeeper.swarm.AnnounceRefusedException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;

/**
 * What the HTTP tracker refused and why, counted across all its event loops, for the operator (the
 * metrics endpoint exports these). Only refusals and failures are counted here, never each served
 * request, so the hot path touches nothing shared.
 */
public final class HttpTrackerCounters {

  /** A kind of refusal or failure. */
  public enum Counter {
    /** Connections closed at once: the node already had {@code http.max-connections}. */
    CONNECTIONS_OVER_TOTAL_CAP,
    /** Connections closed at once: their address already had its per-address share. */
    CONNECTIONS_OVER_ADDRESS_CAP,
    /** Connections closed for not sending a whole request head in time (slow or idle clients). */
    REQUEST_TIMEOUTS,
    /** Requests that were not HTTP/1.x (bad syntax, request line or headers too long). */
    MALFORMED_HTTP,
    /** Requests with a method other than GET (or HEAD where it is served): 405. */
    METHOD_NOT_ALLOWED,
    /** Announces and scrapes answered with a bencoded failure reason for what the client sent. */
    BAD_REQUESTS,
    /** Announces from a trusted proxy whose header named no usable client address: 400. */
    PROXY_HEADER_UNUSABLE,
    /** Announces and scrapes the store could not answer ("tracker temporarily unavailable"). */
    STORE_FAILURES,
    /** Unexpected exceptions in the handler; the client got "internal error". */
    INTERNAL_ERRORS
  }

  private final AtomicLongArray counts = new AtomicLongArray(Counter.values().length);
  private final AtomicLongArray refused =
      new AtomicLongArray(AnnounceRefusedException.Cause.values().length);
  private final IntSupplier openConnections;

  HttpTrackerCounters(IntSupplier openConnections) {
    this.openConnections = openConnections;
  }

  /** Counts one event; answers the new total (1 for the first, which is worth a log line). */
  long count(Counter counter) {
    return counts.incrementAndGet(counter.ordinal());
  }

  /** Counts an announce the store refused at one of its caps. */
  void countRefused(AnnounceRefusedException.Cause cause) {
    refused.incrementAndGet(cause.ordinal());
  }

  public long get(Counter counter) {
    return counts.get(counter.ordinal());
  }

  /** Announces refused by the store because of {@code cause} (limits.*), apart from failures. */
  public long refused(AnnounceRefusedException.Cause cause) {
    return refused.get(cause.ordinal());
  }

  /** HTTP connections open now, over all event loops. */
  public int openConnections() {
    return openConnections.getAsInt();
  }
}
