package io.swarmkeeper.udp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swarmkeeper.swarm.RequestMeters;
import io.swarmkeeper.swarm.RequestMeters.Outcome;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Meters of the UDP tracker, registered once and shared by every verticle instance: requests by
 * action and outcome, latency by action ({@link RequestMeters}), and why datagrams got no normal
 * answer ({@code swarmkeeper_udp_rejected_total{reason}}).
 */
public final class UdpTrackerMetrics {
  static final String PROTOCOL = "udp";

  /** The BEP 15 action of a request, as the meters tag it (in lower case). */
  enum Action {
    CONNECT,
    ANNOUNCE,
    SCRAPE,
    /** Not a known action, or too short to say. */
    OTHER;

    static Action of(int code) {
      return switch (code) {
        case UdpCodec.ACTION_CONNECT -> CONNECT;
        case UdpCodec.ACTION_ANNOUNCE -> ANNOUNCE;
        case UdpCodec.ACTION_SCRAPE -> SCRAPE;
        default -> OTHER;
      };
    }
  }

  private final Counter[][] requests;
  private final Timer[] durations;
  private final Counter errorsSent;
  private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
  private final Counter handlerFailures;

  public UdpTrackerMetrics(MeterRegistry registry) {
    requests = RequestMeters.counters(registry, PROTOCOL, Action.values());
    durations = RequestMeters.timers(registry, PROTOCOL, Action.values());
    errorsSent =
        Counter.builder("swarmkeeper.udp.errors.sent")
            .description("BEP 15 error packets sent")
            .register(registry);
    for (DropReason reason : DropReason.values()) {
      dropped.put(
          reason,
          Counter.builder("swarmkeeper.udp.rejected")
              .description("Datagrams not served normally (dropped or answered with an error)")
              .tag("reason", reason.tag())
              .register(registry));
    }
    handlerFailures =
        Counter.builder("swarmkeeper.udp.handler.failures")
            .description("Unexpected exceptions caught in the datagram handler (bugs)")
            .register(registry);
  }

  /** A request answered normally, {@code startNanos} after it arrived. */
  void served(Action action, long startNanos) {
    requests[action.ordinal()][Outcome.OK.ordinal()].increment();
    durations[action.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  void outcome(Action action, Outcome outcome) {
    requests[action.ordinal()][outcome.ordinal()].increment();
  }

  void errorSent() {
    errorsSent.increment();
  }

  void rejected(DropReason reason) {
    dropped.get(reason).increment();
  }

  void handlerFailure() {
    handlerFailures.increment();
  }

  public double rejected(String reasonTag) {
    for (Map.Entry<DropReason, Counter> e : dropped.entrySet()) {
      if (e.getKey().tag().equals(reasonTag)) {
        return e.getValue().count();
      }
    }
    throw new IllegalArgumentException("no reason " + reasonTag);
  }

  public double rejectedTotal() {
    return dropped.values().stream().mapToDouble(Counter::count).sum();
  }

  public double handlerFailures() {
    return handlerFailures.count();
  }

  /** Requests of an action ({@code connect}, ...) that ended with an outcome ({@code ok}, ...). */
  public double requests(String action, String outcome) {
    for (Action a : Action.values()) {
      for (Outcome o : Outcome.values()) {
        if (RequestMeters.tag(a).equals(action) && o.tag().equals(outcome)) {
          return requests[a.ordinal()][o.ordinal()].count();
        }
      }
    }
    throw new IllegalArgumentException("no meter for " + action + "/" + outcome);
  }
}
