package io.swarmkeeper.udp;

import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerCensus;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/** A store that passes every call to another: tests override the calls they watch or delay. */
class ForwardingSwarmStore implements SwarmStore {
  private final SwarmStore delegate;

  ForwardingSwarmStore(SwarmStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Future<AnnounceResult> announce(AnnounceRequest request) {
    return delegate.announce(request);
  }

  @Override
  public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes) {
    return delegate.scrape(infoHashes);
  }

  @Override
  public Future<Map<InfoHash, ScrapeStats>> scrapeAll(int limit) {
    return delegate.scrapeAll(limit);
  }

  @Override
  public long swarmCount() {
    return delegate.swarmCount();
  }

  @Override
  public long peerCount() {
    return delegate.peerCount();
  }

  @Override
  public PeerCensus census() {
    return delegate.census();
  }
}
