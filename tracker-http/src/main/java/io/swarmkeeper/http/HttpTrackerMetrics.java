package io.swarmkeeper.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swarmkeeper.swarm.RequestMeters;
import io.swarmkeeper.swarm.RequestMeters.Outcome;
import java.util.concurrent.TimeUnit;

/**
 * Requests of the HTTP tracker by action and outcome, and their latency ({@link RequestMeters}).
 */
public final class HttpTrackerMetrics {
  static final String PROTOCOL = "http";

  /** What a request asked for, as the meters tag it (in lower case). */
  enum Action {
    ANNOUNCE,
    SCRAPE,
    /** Anything else: /health, /ready, unknown paths, malformed HTTP. */
    OTHER;

    static Action of(String path) {
      return switch (path) {
        case "/announce" -> ANNOUNCE;
        case "/scrape" -> SCRAPE;
        default -> OTHER;
      };
    }
  }

  private final Counter[][] requests;
  private final Timer[] durations;

  public HttpTrackerMetrics(MeterRegistry registry) {
    requests = RequestMeters.counters(registry, PROTOCOL, Action.values());
    durations = RequestMeters.timers(registry, PROTOCOL, Action.values());
  }

  /** A request answered (normally or with an error), {@code startNanos} after it arrived. */
  void answered(Action action, Outcome outcome, long startNanos) {
    requests[action.ordinal()][outcome.ordinal()].increment();
    durations[action.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  void outcome(Action action, Outcome outcome) {
    requests[action.ordinal()][outcome.ordinal()].increment();
  }
}
