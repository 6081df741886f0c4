package io.swarmkeeper.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import io.swarmkeeper.swarm.Swarm;
import io.swarmkeeper.swarm.Ticker;

/**
 * After a network partition heals, the smaller side's swarms are merged into the larger side's: the
 * union of their peers (each with its latest announce) and the larger completed count. Neither
 * side's peers are dropped, so no client is forgotten because it announced to the wrong side.
 */
final class SwarmMergePolicy
    implements SplitBrainMergePolicy<Swarm, MergingValue<Swarm>, Object>,
        IdentifiedDataSerializable {

  @Override
  public Object merge(MergingValue<Swarm> merging, MergingValue<Swarm> existing) {
    if (existing == null) {
      return merging.getRawValue();
    }
    Swarm into = existing.getDeserializedValue();
    Swarm from = merging.getDeserializedValue();
    if (from == null) {
      return existing.getRawValue();
    }
    if (into == null) {
      return merging.getRawValue();
    }
    into.mergeFrom(from, HazelcastSwarmStore.seconds(Ticker.wallClock()));
    return into;
  }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}

  @Override
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.MERGE_POLICY;
  }
}
