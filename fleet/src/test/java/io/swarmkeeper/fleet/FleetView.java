package io.swarmkeeper.fleet;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** Readings of a node's {@code GET /fleet}: what the members last published about themselves. */
final class FleetView {
  private FleetView() {}

  /** The swarms the members last published, summed. */
  static long publishedSwarms(JsonObject view) {
    return sum(view, "swarms");
  }

  /** The peers the members last published, summed. */
  static long publishedPeers(JsonObject view) {
    return sum(view, "peers");
  }

  private static long sum(JsonObject view, String field) {
    long sum = 0;
    for (Object m : view.getJsonArray("members")) {
      sum += ((JsonObject) m).getLong(field);
    }
    return sum;
  }

  /** A member's share of the published swarms. */
  static double share(JsonObject view, JsonObject member) {
    return (double) member.getLong("swarms") / Math.max(1, publishedSwarms(view));
  }

  /** Each member's partitions, swarms (and share) and peers, on one line. */
  static String shares(JsonObject view) {
    StringBuilder s = new StringBuilder();
    for (Object o : view.getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      s.append(
          String.format(
              Locale.ROOT,
              "[%s: %d partitions, %d swarms (%.1f %%), %d peers] ",
              m.getString("address"),
              m.getInteger("partitions"),
              m.getLong("swarms"),
              100 * share(view, m),
              m.getLong("peers")));
    }
    return s.toString().trim();
  }
}
