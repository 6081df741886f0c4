package io.swarmkeeper.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.Swarm;
import java.util.Map;

/**
 * A scrape read on the owner: the counts without the peers silent past the timeout, and nothing
 * changed, so Hazelcast sends no backup and takes no write path.
 */
final class ScrapeProcessor extends TimedProcessor<ScrapeStats> implements ReadOnly {
  ScrapeProcessor() {}

  ScrapeProcessor(int now, int timeout) {
    super(now, timeout);
  }

  @Override
  public ScrapeStats process(Map.Entry<InfoHash, Swarm> entry) {
    Swarm swarm = entry.getValue();
    return swarm == null ? null : swarm.statsAt(now, timeout);
  }

  @Override
  public EntryProcessor<InfoHash, Swarm, ScrapeStats> getBackupProcessor() {
    return null;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.SCRAPE_PROCESSOR;
  }
}
