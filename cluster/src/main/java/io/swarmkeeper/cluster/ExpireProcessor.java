package io.swarmkeeper.cluster;

import com.hazelcast.map.EntryProcessor;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerCensus;
import io.swarmkeeper.swarm.Swarm;
import java.util.Map;

/**
 * The expiry sweep of one partition, run on its owner: removes peers silent past the timeout at the
 * given time, and swarms left empty; answers each remaining swarm's peers by family and its seeders
 * ({@code {ipv4, ipv6, seeders}}; the member's own counts are summed from these). Backups run the
 * same with the same time and reach the same state: only the time travels.
 */
final class ExpireProcessor extends TimedProcessor<int[]> {
  ExpireProcessor() {}

  ExpireProcessor(int now, int timeout) {
    super(now, timeout);
  }

  @Override
  public int[] process(Map.Entry<InfoHash, Swarm> entry) {
    Swarm swarm = entry.getValue();
    if (swarm == null) {
      return null;
    }
    if (swarm.expire(now, timeout) > 0) {
      entry.setValue(swarm.peers() == 0 ? null : swarm);
    }
    PeerCensus c = PeerCensus.of(swarm);
    return swarm.peers() == 0
        ? null
        : new int[] {(int) c.ipv4Peers(), (int) c.ipv6Peers(), (int) c.seeders()};
  }

  @Override
  public EntryProcessor<InfoHash, Swarm, int[]> getBackupProcessor() {
    return this;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.EXPIRE_PROCESSOR;
  }
}
