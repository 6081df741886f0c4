package io.swarmkeeper.loadtest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What one run counted; touched only by the generator's event loop thread. */
final class LoadStats {
  final Histogram latencyMicros = new Histogram(10_000_000L, 3);
  long requests;
  long responses;
  long announces;
  long scrapes;
  long connects;
  long errorPackets;
  long invalid;
  long timeouts;
  long late;
  long peersReturned;
  long minInterval = Long.MAX_VALUE;
  long maxInterval;
  String firstInvalid;
  String firstError;
  long startNanos;
  long endNanos;

  void reset(long now) {
    latencyMicros.reset();
    requests = responses = announces = scrapes = connects = 0;
    errorPackets = invalid = timeouts = late = peersReturned = 0;
    minInterval = Long.MAX_VALUE;
    maxInterval = 0;
    startNanos = now;
  }

  void invalid(String why) {
    invalid++;
    if (firstInvalid == null) {
      firstInvalid = why;
    }
  }

  double seconds() {
    return (endNanos - startNanos) / 1e9;
  }

  double responsesPerSecond() {
    return responses / seconds();
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", round(seconds()));
    m.put("requests", requests);
    m.put("responses", responses);
    m.put("responses_per_s", round(responsesPerSecond()));
    m.put("announces", announces);
    m.put("scrapes", scrapes);
    m.put("connects", connects);
    m.put("error_packets", errorPackets);
    m.put("invalid", invalid);
    m.put("timeouts", timeouts);
    m.put("late", late);
    m.put("p50_ms", micros(latencyMicros.getValueAtPercentile(50)));
    m.put("p99_ms", micros(latencyMicros.getValueAtPercentile(99)));
    m.put("p999_ms", micros(latencyMicros.getValueAtPercentile(99.9)));
    m.put("max_ms", micros(latencyMicros.getMaxValue()));
    m.put("avg_peers_per_announce", round(announces == 0 ? 0 : peersReturned / (double) announces));
    m.put("interval_min_s", minInterval == Long.MAX_VALUE ? 0 : minInterval);
    m.put("interval_max_s", maxInterval);
    m.put("first_invalid", firstInvalid);
    m.put("first_error", firstError);
    return m;
  }

  String summary() {
    return String.format(
        Locale.ROOT,
        "%,d responses in %.1f s = %,.0f responses/s; %,d requests, %,d announces, %,d scrapes;"
            + " errors %,d, invalid %,d, timeouts %,d; latency p50 %.3f ms, p99 %.3f ms,"
            + " p99.9 %.3f ms; %.1f peers per announce%s%s",
        responses,
        seconds(),
        responsesPerSecond(),
        requests,
        announces,
        scrapes,
        errorPackets,
        invalid,
        timeouts,
        micros(latencyMicros.getValueAtPercentile(50)),
        micros(latencyMicros.getValueAtPercentile(99)),
        micros(latencyMicros.getValueAtPercentile(99.9)),
        announces == 0 ? 0 : peersReturned / (double) announces,
        firstInvalid == null ? "" : "\n  first invalid response: " + firstInvalid,
        firstError == null ? "" : "\n  first error packet: " + firstError);
  }

  private static double micros(long v) {
    return round(v / 1000.0);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** {@code {"name":[row,...]}}, one object per row, and a newline. */
  static String toJson(String name, java.util.List<Map<String, Object>> rows) {
    StringBuilder sb = new StringBuilder("{\"").append(name).append("\":[");
    for (int i = 0; i < rows.size(); i++) {
      sb.append(i > 0 ? "," : "").append(toJson(rows.get(i)));
    }
    return sb.append("]}\n").toString();
  }

  static String toJson(Map<String, Object> map) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : map.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v == null) {
        sb.append("null");
      } else if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else {
        sb.append('"')
            .append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " "))
            .append('"');
      }
    }
    return sb.append('}').toString();
  }
}
