package io.swarmkeeper.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.AnnounceResult;
import java.io.IOException;

/**
 * The answers to one swarm's announces of a batch, in the order they were asked: each an {@link
 * AnnounceResult} or an {@link AnnounceRefusedException} (a cap said no).
 */
final class AnnounceReplies implements IdentifiedDataSerializable {
  private Object[] replies;

  AnnounceReplies() {}

  AnnounceReplies(Object[] replies) {
    this.replies = replies;
  }

  int size() {
    return replies.length;
  }

  /** The reply at {@code i}: an {@link AnnounceResult} or an {@link AnnounceRefusedException}. */
  Object get(int i) {
    return replies[i];
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(replies.length);
    for (Object reply : replies) {
      if (reply instanceof AnnounceResult result) {
        out.writeByte(0);
        ClusterSerialization.writeResult(out, result);
      } else {
        AnnounceRefusedException refused = (AnnounceRefusedException) reply;
        out.writeByte(1 + refused.limit().ordinal());
        out.writeString(refused.getMessage());
      }
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int n = in.readInt();
    replies = new Object[n];
    for (int i = 0; i < n; i++) {
      int tag = in.readByte();
      if (tag == 0) {
        replies[i] = ClusterSerialization.readResult(in);
      } else {
        AnnounceRefusedException.Cause cause = AnnounceRefusedException.Cause.values()[tag - 1];
        replies[i] = new AnnounceRefusedException(cause, in.readString());
      }
    }
  }

  @Override
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.ANNOUNCE_REPLIES;
  }
}
