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

  /** What a request asked for, as the meters tag it. */
  enum Action {
    ANNOUNCE("announce"),
    SCRAPE("scrape"),
    /** Anything else: /health, /ready, unknown paths, malformed HTTP. */
    OTHER("other");

    final String tag;

    Action(String tag) {
      this.tag = tag;
    }

    static Action of(String path) {
      return switch (path) {
        case "/announce" -> ANNOUNCE;
        case "/scrape" -> SCRAPE;
        default -> OTHER;
      };
    }
  }

  private final Counter[][] requests = new Counter[Action.values().length][];
  private final Timer[] durations = new Timer[Action.values().length];

  public HttpTrackerMetrics(MeterRegistry registry) {
    for (Action a : Action.values()) {
      requests[a.ordinal()] = new Counter[Outcome.values().length];
      for (Outcome o : Outcome.values()) {
        if (o != Outcome.BAD_CONNECTION_ID) {
          requests[a.ordinal()][o.ordinal()] = RequestMeters.counter(registry, PROTOCOL, a.tag, o);
        }
      }
      durations[a.ordinal()] = RequestMeters.timer(registry, PROTOCOL, a.tag);
    }
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
