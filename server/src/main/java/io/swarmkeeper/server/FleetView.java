package io.swarmkeeper.server;

import io.swarmkeeper.cluster.HazelcastSwarmStore;
import io.swarmkeeper.cluster.MemberStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet as the dashboard shows it: each member with its cluster address, the partitions it
 * owns, what it holds, its request rate (from the totals it publishes each sweep pass) and a state:
 * {@code serving}; {@code joining} (in the cluster, owning no partition or not yet published);
 * {@code stale} (in the cluster, but its figures are over {@value #STALE_MILLIS} ms old); {@code
 * gone} (was seen, has left or died: listed for {@value #GONE_MILLIS} ms). One reader at a time. On
 * the tracker's public port (no admin listener) members are named by their place in the list, not
 * by their cluster address, which must stay private.
 */
final class FleetView {
  static final long STALE_MILLIS = 30_000;
  static final long GONE_MILLIS = 10 * 60_000;

  private final HazelcastSwarmStore fleet;
  private final String cluster;
  private final Map<String, double[]> rates = new HashMap<>(); // {requests, atMillis, rate}
  private final Map<String, Long> goneAt = new LinkedHashMap<>();
  private final Set<String> seen = new HashSet<>();

  FleetView(HazelcastSwarmStore fleet, String cluster) {
    this.fleet = fleet;
    this.cluster = cluster;
  }

  /**
   * @param addresses whether to show the members' cluster addresses (else "member N")
   */
  synchronized JsonObject json(boolean addresses) {
    long now = System.currentTimeMillis();
    String self = fleet.member().address();
    List<String> inCluster = fleet.member().memberAddresses();
    Map<String, MemberStats> published = new HashMap<>();
    for (MemberStats m : fleet.members()) {
      published.put(m.address(), m);
    }
    JsonArray members = new JsonArray();
    for (String address : inCluster) {
      goneAt.remove(address);
      seen.add(address);
      MemberStats m = published.get(address);
      JsonObject row = new JsonObject().put("address", address).put("this", address.equals(self));
      if (m == null) {
        members.add(row.put("state", "joining"));
        continue;
      }
      double[] r =
          rates.computeIfAbsent(address, a -> new double[] {m.requests(), m.atMillis(), 0});
      if (m.atMillis() > r[1]) {
        r[2] = Math.max(0, m.requests() - r[0]) * 1000.0 / (m.atMillis() - r[1]);
        r[0] = m.requests();
        r[1] = m.atMillis();
      }
      String state =
          m.partitions() == 0 ? "joining" : now - m.atMillis() > STALE_MILLIS ? "stale" : "serving";
      members.add(
          row.put("state", state)
              .put("partitions", m.partitions())
              .put("swarms", m.swarms())
              .put("peers", m.peers())
              .put("requests_per_second", StatsRecorder.round(r[2]))
              .put("updated_seconds_ago", Math.max(0, (now - m.atMillis()) / 1000)));
    }
    for (String address : List.copyOf(seen)) {
      if (!inCluster.contains(address)) {
        seen.remove(address);
        rates.remove(address);
        goneAt.putIfAbsent(address, now);
      }
    }
    goneAt.values().removeIf(at -> now - at > GONE_MILLIS);
    goneAt.forEach(
        (address, at) ->
            members.add(
                new JsonObject()
                    .put("address", address)
                    .put("this", false)
                    .put("state", "gone")
                    .put("gone_seconds_ago", (now - at) / 1000)));
    if (!addresses) {
      for (int i = 0; i < members.size(); i++) {
        members.getJsonObject(i).put("address", "member " + (i + 1));
      }
    }
    return new JsonObject()
        .put("cluster", cluster)
        .put("this", addresses ? self : null)
        .put("ready", fleet.isReady())
        .put("members", members);
  }
}
