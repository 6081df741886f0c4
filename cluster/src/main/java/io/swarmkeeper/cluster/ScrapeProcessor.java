package io.swarmkeeper.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.Swarm;
import java.io.IOException;
import java.util.Map;

/**
 * A scrape read on the owner: the counts without the peers silent past the timeout, and nothing
 * changed, so Hazelcast sends no backup and takes no write path.
 */
final class ScrapeProcessor
    implements EntryProcessor<InfoHash, Swarm, ScrapeStats>, ReadOnly, IdentifiedDataSerializable {
  private int now;
  private int timeout;

  ScrapeProcessor() {}

  ScrapeProcessor(int now, int timeout) {
    this.now = now;
    this.timeout = timeout;
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
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(now);
    out.writeInt(timeout);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    now = in.readInt();
    timeout = in.readInt();
  }

  @Override
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.SCRAPE_PROCESSOR;
  }
}
