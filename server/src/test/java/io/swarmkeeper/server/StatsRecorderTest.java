package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmkeeper.swarm.AdaptiveIntervalPolicy;
import io.swarmkeeper.swarm.IntervalOptions;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.RequestMeters;
import io.swarmkeeper.swarm.Ticker;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsRecorderTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final StatsRecorder recorder =
      new StatsRecorder(
          registry,
          new LocalSwarmStore(Ticker.system(), 60),
          new AdaptiveIntervalPolicy(new IntervalOptions(), 1000, 60, () -> 0, Ticker.system()));

  @Test
  void aSampleHoldsRatesByProtocolAndOutcomeAndTheSecondsLatencyQuantiles() throws Exception {
    Counter ok = RequestMeters.counter(registry, "udp", "announce", RequestMeters.Outcome.OK);
    Counter limited =
        RequestMeters.counter(registry, "http", "announce", RequestMeters.Outcome.RATE_LIMITED);
    Timer udp = RequestMeters.timer(registry, "udp", "announce");
    udp.record(Duration.ofMillis(50)); // before the baseline: not in the first second's quantiles
    recorder.sample();
    assertThat(recorder.latest()).as("the first sample is only the baseline").isNull();
    ok.increment(40);
    limited.increment(10);
    for (int i = 0; i < 98; i++) {
      udp.record(Duration.ofNanos(300_000)); // bucket 0.25-0.5 ms
    }
    udp.record(Duration.ofMillis(8)); // bucket 5-10 ms
    udp.record(Duration.ofMillis(8));
    Thread.sleep(100);
    recorder.sample();

    JsonObject s = recorder.latest();
    double rate = s.getJsonObject("requests").getDouble("udp.announce.ok");
    assertThat(rate).isBetween(40 / 10.0, 40 / 0.1); // 40 over the 0.1 s (or more) between them
    assertThat(s.getJsonObject("announces").getDouble("udp")).isEqualTo(rate);
    assertThat(s.getJsonObject("announces").getDouble("http")).isZero();
    assertThat(s.getJsonObject("problems").getDouble("rate_limited"))
        .isEqualTo(s.getJsonObject("requests").getDouble("http.announce.rate_limited"))
        .isPositive();
    JsonObject latency = s.getJsonObject("latency_ms").getJsonObject("udp");
    assertThat(latency.getDouble("p50")).isBetween(0.25, 0.5);
    assertThat(latency.getDouble("p99")).isBetween(5.0, 10.0);
    assertThat(s.getJsonObject("interval").getInteger("seconds")).isPositive();
    assertThat(s.getLong("swarms")).isZero();

    recorder.sample(); // a second with no request: rates 0, no quantiles
    JsonObject quiet = recorder.latest();
    assertThat(quiet.getJsonObject("requests").containsKey("udp.announce.ok"))
        .as("a rate of 0 is left out")
        .isFalse();
    assertThat(quiet.getJsonObject("announces").getDouble("udp")).isZero();
    assertThat(quiet.getJsonObject("latency_ms").getJsonObject("udp").isEmpty()).isTrue();
  }

  @Test
  void requestsSlowerThanTheLastBucketCountAtItsBound() throws Exception {
    Timer http = RequestMeters.timer(registry, "http", "announce");
    recorder.sample();
    for (int i = 0; i < 10; i++) {
      http.record(Duration.ofSeconds(3)); // past the last bound, 1 s
    }
    Thread.sleep(20);
    recorder.sample();
    JsonObject latency = recorder.latest().getJsonObject("latency_ms").getJsonObject("http");
    assertThat(latency.getDouble("p50")).isEqualTo(1000.0);
    assertThat(latency.getDouble("p99")).isEqualTo(1000.0);
  }

  @Test
  void theRingsKeepTheLastTenMinutesBySecondAndTheHourByMinute() {
    Counter ok = RequestMeters.counter(registry, "udp", "announce", RequestMeters.Outcome.OK);
    recorder.sample();
    for (int i = 0; i < StatsRecorder.SECONDS + 30; i++) {
      ok.increment();
      recorder.sample();
    }
    assertThat(recorder.lastSeconds()).hasSize(StatsRecorder.SECONDS);
    assertThat(recorder.lastMinutes()).hasSize((StatsRecorder.SECONDS + 30) / 60);
    JsonObject first = recorder.lastSeconds().getJsonObject(0);
    JsonObject last = recorder.lastSeconds().getJsonObject(StatsRecorder.SECONDS - 1);
    assertThat(first.getLong("time")).isLessThanOrEqualTo(last.getLong("time"));
  }

  @Test
  void aMinuteAveragesItsRatesAndKeepsItsLastCounts() {
    JsonObject a =
        new JsonObject()
            .put("time", 1000L)
            .put("swarms", 5)
            .put("requests", new JsonObject().put("udp.announce.ok", 1.0))
            .put(
                "latency_ms",
                new JsonObject().put("udp", new JsonObject().put("p50", 2.0).put("p99", 4.0)));
    JsonObject b =
        new JsonObject()
            .put("time", 2000L)
            .put("swarms", 7)
            .put("requests", new JsonObject().put("udp.announce.ok", 3.0))
            .put("latency_ms", new JsonObject().put("udp", new JsonObject()));
    JsonObject c =
        new JsonObject()
            .put("time", 3000L)
            .put("swarms", 8)
            .put("requests", new JsonObject()) // no request in this second
            .put("latency_ms", new JsonObject().put("udp", new JsonObject()));
    JsonObject minute = StatsRecorder.minuteOf(List.of(a, b, c));
    assertThat(minute.getLong("time")).isEqualTo(3000L);
    assertThat(minute.getInteger("swarms")).isEqualTo(8);
    // (1 + 3 + 0) / 3: a rate left out of a second was 0 in it.
    assertThat(minute.getJsonObject("requests").getDouble("udp.announce.ok")).isEqualTo(1.333);
    // A second without requests has no quantile: the minute's is the mean of those that have one.
    assertThat(minute.getJsonObject("latency_ms").getJsonObject("udp").getDouble("p99"))
        .isEqualTo(4.0);
  }
}
