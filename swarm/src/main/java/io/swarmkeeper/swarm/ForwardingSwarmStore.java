package io.swarmkeeper.swarm;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * A store in front of another that passes every call on, inline answers included: the registry's
 * access rules and completed counts extend it and override only what they change. A scrape with a
 * passkey is not passed on as such: it comes to this store's {@link #scrape(List)} (the interface's
 * default), so a subclass that changes scrapes changes both; access rules override it.
 */
public abstract class ForwardingSwarmStore implements SwarmStore {
  protected final SwarmStore swarms;

  protected ForwardingSwarmStore(SwarmStore swarms) {
    this.swarms = swarms;
  }

  @Override
  public Future<AnnounceResult> announce(AnnounceRequest request) {
    return swarms.announce(request);
  }

  @Override
  public boolean answersInline() {
    return swarms.answersInline();
  }

  @Override
  public boolean answersInline(AnnounceCall call) {
    return swarms.answersInline(call);
  }

  @Override
  public void announceInto(AnnounceCall call) {
    swarms.announceInto(call);
  }

  @Override
  public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes) {
    return swarms.scrape(infoHashes);
  }

  @Override
  public Future<Map<InfoHash, ScrapeStats>> scrapeAll(int limit) {
    return swarms.scrapeAll(limit);
  }

  @Override
  public long swarmCount() {
    return swarms.swarmCount();
  }

  @Override
  public long peerCount() {
    return swarms.peerCount();
  }

  @Override
  public PeerCensus census() {
    return swarms.census();
  }

  @Override
  public List<LargestSwarms.Entry> largestSwarms() {
    return swarms.largestSwarms();
  }
}
