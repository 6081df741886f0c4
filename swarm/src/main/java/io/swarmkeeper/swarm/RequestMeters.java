package io.swarmkeeper.swarm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The request meters both trackers register, so that they share names, tags and buckets: {@code
 * swarmkeeper_requests_total{protocol, action, outcome}} and {@code
 * swarmkeeper_request_duration_seconds{protocol, action}} (a histogram with fixed buckets from 50
 * us to 1 s; no per-info_hash or per-address tag, whose number would be unbounded).
 */
public final class RequestMeters {
  public static final String REQUESTS = "swarmkeeper.requests";
  public static final String DURATION = "swarmkeeper.request.duration";

  /** What became of a request. */
  public enum Outcome {
    /** Answered normally. */
    OK("ok"),
    /** Answered with an error (a BEP 15 error packet, a bencoded failure reason). */
    ERROR("error"),
    /** Not answered: malformed beyond an answer, or the store too busy to take it. */
    DROPPED("dropped"),
    /** Not answered (UDP) or answered 429 (HTTP): its address passed its rate limit. */
    RATE_LIMITED("rate_limited"),
    /** UDP: a connection id this tracker did not issue, or issued too long ago: silence. */
    BAD_CONNECTION_ID("bad_connection_id");

    private final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  private static final Duration[] BUCKETS = {
    Duration.ofNanos(50_000),
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1)
  };

  private RequestMeters() {}

  public static Counter counter(
      MeterRegistry registry, String protocol, String action, Outcome outcome) {
    return Counter.builder(REQUESTS)
        .description("Requests by protocol, action and what became of them")
        .tag("protocol", protocol)
        .tag("action", action)
        .tag("outcome", outcome.tag())
        .register(registry);
  }

  public static Timer timer(MeterRegistry registry, String protocol, String action) {
    return Timer.builder(DURATION)
        .description("Time from a request's arrival to its answer being written")
        .tag("protocol", protocol)
        .tag("action", action)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  /**
   * A protocol's counters, indexed by action (as the tracker's own enum of actions orders them) and
   * {@link Outcome}, registered once so the request path only indexes arrays.
   */
  public static Counter[][] counters(MeterRegistry registry, String protocol, Enum<?>[] actions) {
    Counter[][] table = new Counter[actions.length][Outcome.values().length];
    for (Enum<?> a : actions) {
      for (Outcome o : Outcome.values()) {
        table[a.ordinal()][o.ordinal()] = counter(registry, protocol, tag(a), o);
      }
    }
    return table;
  }

  /** A protocol's latency histograms, indexed by action. */
  public static Timer[] timers(MeterRegistry registry, String protocol, Enum<?>[] actions) {
    Timer[] timers = new Timer[actions.length];
    for (Enum<?> a : actions) {
      timers[a.ordinal()] = timer(registry, protocol, tag(a));
    }
    return timers;
  }

  /** An action's tag: its name in lower case. */
  public static String tag(Enum<?> action) {
    return action.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The sum of every request counter in the registry (all protocols, actions, outcomes). */
  public static long total(MeterRegistry registry) {
    double sum = 0;
    for (Counter c : registry.find(REQUESTS).counters()) {
      sum += c.count();
    }
    return (long) sum;
  }
}
