package io.swarmkeeper.udp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** Counters of the UDP tracker, registered once and shared by every verticle instance. */
public final class UdpTrackerMetrics {
  private final Counter connects;
  private final Counter announces;
  private final Counter scrapes;
  private final Counter errorsSent;
  private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
  private final Counter handlerFailures;

  public UdpTrackerMetrics(MeterRegistry registry) {
    connects = request(registry, "connect");
    announces = request(registry, "announce");
    scrapes = request(registry, "scrape");
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

  private static Counter request(MeterRegistry registry, String action) {
    return Counter.builder("swarmkeeper.udp.requests")
        .description("Valid requests served")
        .tag("action", action)
        .register(registry);
  }

  void connect() {
    connects.increment();
  }

  void announce() {
    announces.increment();
  }

  void scrape() {
    scrapes.increment();
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
}
