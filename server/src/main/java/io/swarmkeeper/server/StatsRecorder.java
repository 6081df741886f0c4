package io.swarmkeeper.server;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.swarmkeeper.swarm.AdaptiveIntervalPolicy;
import io.swarmkeeper.swarm.PeerCensus;
import io.swarmkeeper.swarm.RequestMeters;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What the dashboard and {@code /api/v1/stats} show over time: once a second a sample of the node's
 * own meters, kept in two rings in memory (no database): the last {@value #SECONDS} seconds at one
 * second, and the last {@value #MINUTES} minutes at one minute, each minute the mean of its
 * seconds' rates and latencies and the last of its counts. A sample holds requests per second by
 * protocol, action and outcome, announce latency quantiles over that second, swarms and peers, and
 * the interval with the load its policy sees. Meters carry no client address or peer id, so neither
 * does a sample.
 *
 * <p>{@link #sample()} runs on one thread (a timer); the readers take copies under the lock.
 */
final class StatsRecorder {
  static final int SECONDS = 600;
  static final int MINUTES = 60;

  /** Groups of a sample that are rates or latencies: averaged into a minute (the rest: last). */
  private static final List<String> AVERAGED =
      List.of("requests", "announces", "scrapes", "rejected", "latency_ms", "problems");

  private static final double[] QUANTILES = {0.5, 0.9, 0.99};
  private static final String[] QUANTILE_NAMES = {"p50", "p90", "p99"};

  private final MeterRegistry registry;
  private final SwarmStore store;
  private final AdaptiveIntervalPolicy interval;

  private final ArrayDeque<JsonObject> seconds = new ArrayDeque<>(SECONDS);
  private final ArrayDeque<JsonObject> minutes = new ArrayDeque<>(MINUTES);
  private final List<JsonObject> thisMinute = new ArrayList<>(60);
  private final Map<String, Double> lastCounts = new HashMap<>();
  private final Map<String, long[]> lastBuckets = new HashMap<>();
  private long lastNanos;

  StatsRecorder(MeterRegistry registry, SwarmStore store, AdaptiveIntervalPolicy interval) {
    this.registry = registry;
    this.store = store;
    this.interval = interval;
  }

  /** Takes a sample now; the first only sets the baseline for the rates. */
  void sample() {
    long now = System.nanoTime();
    double dt = lastNanos == 0 ? 0 : (now - lastNanos) / 1e9;
    lastNanos = now;

    JsonObject requests = new JsonObject();
    JsonObject announces = new JsonObject().put("udp", 0.0).put("http", 0.0);
    JsonObject scrapes = new JsonObject().put("udp", 0.0).put("http", 0.0);
    double errors = 0;
    double rateLimited = 0;
    double dropped = 0;
    for (Meter m : registry.find(RequestMeters.REQUESTS).meters()) {
      String protocol = m.getId().getTag("protocol");
      String action = m.getId().getTag("action");
      String outcome = m.getId().getTag("outcome");
      String key = protocol + "." + action + "." + outcome;
      double r = rate(key, count(m), dt);
      if (r > 0) {
        requests.put(key, r); // the rest are 0: left out, a sample stays small
      }
      if ("ok".equals(outcome) && "announce".equals(action)) {
        announces.put(protocol, announces.getDouble(protocol, 0.0) + r);
      } else if ("ok".equals(outcome) && "scrape".equals(action)) {
        scrapes.put(protocol, scrapes.getDouble(protocol, 0.0) + r);
      }
      switch (outcome) {
        case "error" -> errors += r;
        case "rate_limited" -> rateLimited += r;
        case "dropped" -> dropped += r;
        default -> {}
      }
    }
    JsonObject rejected = new JsonObject();
    for (String protocol : new String[] {"udp", "http"}) {
      double sum = 0;
      for (Meter m : registry.find("swarmkeeper." + protocol + ".rejected").meters()) {
        sum += rate(protocol + ".rejected." + m.getId().getTag("reason"), count(m), dt);
      }
      rejected.put(protocol, sum);
    }
    double kernelDrops = 0;
    for (Meter m : registry.find("swarmkeeper.udp.socket.drops").meters()) {
      kernelDrops += rate("udp.socket.drops", count(m), dt);
    }

    JsonObject latency = new JsonObject();
    for (Timer t : registry.find(RequestMeters.DURATION).tag("action", "announce").timers()) {
      latency.put(t.getId().getTag("protocol"), quantiles(t));
    }

    PeerCensus census = store.census();
    long peers = store.peerCount();
    JsonObject sample =
        new JsonObject()
            .put("time", System.currentTimeMillis())
            .put("announces", announces)
            .put("scrapes", scrapes)
            .put(
                "problems",
                new JsonObject()
                    .put("errors", errors)
                    .put("rate_limited", rateLimited)
                    .put("dropped", dropped)
                    .put("kernel_drops", kernelDrops))
            .put("rejected", rejected)
            .put("latency_ms", latency)
            .put("requests", requests)
            .put("swarms", store.swarmCount())
            .put("peers", peers)
            .put("ipv4_peers", census == null ? null : census.ipv4Peers())
            .put("ipv6_peers", census == null ? null : census.ipv6Peers())
            .put("seeders", census == null ? null : census.seeders())
            .put("leechers", census == null ? null : census.leechers())
            .put(
                "interval",
                new JsonObject()
                    .put("seconds", interval.currentSeconds())
                    .put("request_rate", round(interval.requestRate()))
                    .put("capacity", interval.capacity())
                    .put("load", round(interval.load()))
                    .put("needed_seconds", round(interval.neededSeconds())));
    if (dt == 0) {
      return; // the baseline: no rates yet
    }
    synchronized (this) {
      add(seconds, sample, SECONDS);
      thisMinute.add(sample);
      if (thisMinute.size() == 60) {
        add(minutes, minuteOf(thisMinute), MINUTES);
        thisMinute.clear();
      }
    }
  }

  /** The latest sample, or null before the second one. */
  synchronized JsonObject latest() {
    return seconds.peekLast() == null ? null : seconds.peekLast().copy();
  }

  /** The last {@value #SECONDS} seconds, oldest first. */
  synchronized JsonArray lastSeconds() {
    JsonArray out = new JsonArray();
    seconds.forEach(out::add);
    return out.copy();
  }

  /** The last {@value #MINUTES} minutes, oldest first; the minute running is not among them. */
  synchronized JsonArray lastMinutes() {
    JsonArray out = new JsonArray();
    minutes.forEach(out::add);
    return out.copy();
  }

  private static void add(ArrayDeque<JsonObject> ring, JsonObject sample, int size) {
    if (ring.size() == size) {
      ring.removeFirst();
    }
    ring.addLast(sample);
  }

  /**
   * A minute: the last second's counts, with the mean of each rate and latency over its seconds.
   */
  static JsonObject minuteOf(List<JsonObject> secondsOfTheMinute) {
    JsonObject minute = secondsOfTheMinute.get(secondsOfTheMinute.size() - 1).copy();
    for (String group : AVERAGED) {
      // A rate left out of a second was 0 then; a latency left out was not measured.
      minute.put(group, mean(secondsOfTheMinute, group, !"latency_ms".equals(group)));
    }
    return minute;
  }

  /**
   * Each number under {@code group} (nested objects too) averaged over the samples: over all of
   * them, a missing number counting as 0, when {@code missingIsZero}; else over those that have it.
   */
  private static JsonObject mean(List<JsonObject> samples, String group, boolean missingIsZero) {
    Map<String, double[]> sums = new TreeMap<>();
    Map<String, Boolean> nested = new TreeMap<>();
    int present = 0;
    for (JsonObject s : samples) {
      JsonObject g = s.getJsonObject(group);
      if (g == null) {
        continue;
      }
      present++;
      for (String k : g.fieldNames()) {
        Object v = g.getValue(k);
        if (v instanceof JsonObject) {
          nested.put(k, true);
        } else if (v instanceof Number n) {
          double[] sum = sums.computeIfAbsent(k, x -> new double[2]);
          sum[0] += n.doubleValue();
          sum[1]++;
        }
      }
    }
    JsonObject out = new JsonObject();
    int all = present;
    sums.forEach((k, sum) -> out.put(k, round(sum[0] / (missingIsZero ? all : sum[1]))));
    for (String k : nested.keySet()) {
      List<JsonObject> inner = new ArrayList<>();
      for (JsonObject s : samples) {
        JsonObject g = s.getJsonObject(group);
        if (g != null && g.getJsonObject(k) != null) {
          inner.add(new JsonObject().put(k, g.getJsonObject(k)));
        }
      }
      out.put(k, mean(inner, k, missingIsZero));
    }
    return out;
  }

  private double rate(String key, double count, double dt) {
    Double before = lastCounts.put(key, count);
    if (dt == 0 || before == null) {
      return 0.0;
    }
    return round(Math.max(0, count - before) / dt);
  }

  private static double count(Meter m) {
    double sum = 0;
    for (Measurement x : m.measure()) {
      if (x.getStatistic() == Statistic.COUNT) {
        sum += x.getValue();
      }
    }
    return sum;
  }

  /**
   * The timer's quantiles over the requests since the last sample, in milliseconds, from its
   * histogram's cumulative bucket counts (interpolated in the bucket, as Prometheus's
   * histogram_quantile does); empty when none were timed.
   */
  private JsonObject quantiles(Timer t) {
    CountAtBucket[] buckets = t.takeSnapshot().histogramCounts();
    String key = t.getId().getTag("protocol");
    // The cumulative bucket counts, then the timer's count: requests slower than the last bound
    // are in no bucket, but they are in the count (and in the rank).
    long[] now = new long[buckets.length + 1];
    for (int i = 0; i < buckets.length; i++) {
      now[i] = (long) buckets[i].count();
    }
    now[buckets.length] = t.count();
    long[] before = lastBuckets.put(key, now);
    JsonObject out = new JsonObject();
    if (before == null || before.length != now.length || buckets.length == 0) {
      return out;
    }
    long[] delta = new long[now.length];
    for (int i = 0; i < now.length; i++) {
      delta[i] = Math.max(0, now[i] - before[i]);
    }
    long total = delta[buckets.length];
    if (total == 0) {
      return out;
    }
    double lastBound = buckets[buckets.length - 1].bucket(TimeUnit.MILLISECONDS);
    for (int q = 0; q < QUANTILES.length; q++) {
      double rank = QUANTILES[q] * total;
      // Past the last bucket: the last bound, a floor (the slowest requests are "at least").
      out.put(QUANTILE_NAMES[q], round(lastBound));
      for (int i = 0; i < buckets.length; i++) {
        if (delta[i] >= rank) {
          double upper = buckets[i].bucket(TimeUnit.MILLISECONDS);
          double lower = i == 0 ? 0 : buckets[i - 1].bucket(TimeUnit.MILLISECONDS);
          long below = i == 0 ? 0 : delta[i - 1];
          long inBucket = delta[i] - below;
          double share = inBucket == 0 ? 1 : (rank - below) / inBucket;
          out.put(QUANTILE_NAMES[q], round(lower + (upper - lower) * share));
          break;
        }
      }
    }
    return out;
  }

  static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : 0.0;
  }
}
