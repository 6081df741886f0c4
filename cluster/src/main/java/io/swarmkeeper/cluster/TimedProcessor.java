package io.swarmkeeper.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.Swarm;
import java.io.IOException;

/**
 * An entry processor that carries only the time it runs at and the peer timeout: what a swarm needs
 * to tell a live peer from a silent one, the same on the owner and on every backup.
 */
abstract class TimedProcessor<R>
    implements EntryProcessor<InfoHash, Swarm, R>, IdentifiedDataSerializable {
  /** Seconds on the fleet's clock. */
  int now;

  int timeout;

  TimedProcessor() {}

  TimedProcessor(int now, int timeout) {
    this.now = now;
    this.timeout = timeout;
  }

  @Override
  public final void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(now);
    out.writeInt(timeout);
  }

  @Override
  public final void readData(ObjectDataInput in) throws IOException {
    now = in.readInt();
    timeout = in.readInt();
  }

  @Override
  public final int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }
}
