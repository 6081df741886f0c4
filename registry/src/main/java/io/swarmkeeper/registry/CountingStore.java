package io.swarmkeeper.registry;

import io.swarmkeeper.swarm.AnnounceCall;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.ForwardingSwarmStore;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link SwarmStore} whose completed counts are kept in PostgreSQL ({@link CompletedCounts}):
 * every completion the inner store counts (once per peer) is handed on, and scrapes answer the kept
 * count rather than the inner store's, which starts again from zero on a restart or when a swarm
 * goes empty. Announces are served as the inner store serves them, inline when it does: the only
 * work added is a flag test, and a map update for a completion.
 */
public final class CountingStore extends ForwardingSwarmStore {
  private final CompletedCounts counts;

  public CountingStore(SwarmStore swarms, CompletedCounts counts) {
    super(swarms);
    this.counts = counts;
  }

  @Override
  public void announceInto(AnnounceCall call) {
    swarms.announceInto(call);
    if (call.completionCounted()) {
      counts.completed(call.infoHash());
    }
  }

  @Override
  public Future<AnnounceResult> announce(AnnounceRequest request) {
    return swarms
        .announce(request)
        .onSuccess(
            r -> {
              if (r.completionCounted()) {
                counts.completed(request.infoHash());
              }
            });
  }

  /**
   * The inner store's counts with the kept completed counts; when PostgreSQL cannot say, the inner
   * store's own completed count stands in (a scrape never fails for the registry).
   */
  @Override
  public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes) {
    return swarms
        .scrape(infoHashes)
        .compose(
            live ->
                counts
                    .load(infoHashes)
                    .transform(
                        loaded -> {
                          List<ScrapeStats> out = new ArrayList<>(live.size());
                          for (int i = 0; i < live.size(); i++) {
                            out.add(kept(infoHashes.get(i), live.get(i)));
                          }
                          return Future.succeededFuture(out);
                        }));
  }

  @Override
  public Future<Map<InfoHash, ScrapeStats>> scrapeAll(int limit) {
    return swarms
        .scrapeAll(limit)
        .compose(
            live -> {
              List<InfoHash> swarms = new ArrayList<>(live.keySet());
              return counts
                  .load(swarms)
                  .transform(
                      loaded -> {
                        Map<InfoHash, ScrapeStats> out = new java.util.LinkedHashMap<>();
                        live.forEach((h, s) -> out.put(h, kept(h, s)));
                        return Future.succeededFuture(out);
                      });
            });
  }

  private ScrapeStats kept(InfoHash swarm, ScrapeStats live) {
    long total = counts.total(swarm, live.completed());
    return new ScrapeStats(
        live.seeders(), (int) Math.min(Integer.MAX_VALUE, total), live.leechers());
  }
}
