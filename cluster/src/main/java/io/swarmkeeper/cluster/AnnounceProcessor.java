package io.swarmkeeper.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.Swarm;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The announces of one read batch, applied where their swarms live. One {@code submitToKeys}
 * carries the whole batch: Hazelcast sends one operation per owning member and runs it on each
 * partition the keys fall in, where each swarm picks out its own requests by key (Hazelcast Jet's
 * map sink carries per-key values the same way).
 *
 * <p>One instance serves every partition of a member at once (each on its partition thread), so it
 * is immutable once built. The backups get {@link #getBackupProcessor() a replay} of the announces
 * that samples nothing and answers nothing: applying an announce at a given time to an equal swarm
 * gives an equal swarm, the refusals of a per-swarm cap included.
 *
 * <p>Each partition's backup carries only that partition's announces. Hazelcast asks for the backup
 * processor on the partition thread right after the partition's keys were processed, so the
 * announces applied on this thread since then are the partition's ({@link Applied}). Without that
 * trim every partition's backup would carry the whole batch: a batch over P partitions sent P
 * times, its cost growing with the square of the batch.
 */
final class AnnounceProcessor
    implements EntryProcessor<InfoHash, Swarm, AnnounceReplies>, IdentifiedDataSerializable {
  private static final byte[] NO_PEERS = new byte[0];

  private int now;
  private int timeout;
  private int maxPeersPerSwarm;

  /** The fleet's cap on swarms when the fleet has reached it (no swarm may be created), else 0. */
  private int swarmsFull;

  /** The fleet's cap on peers when the fleet has reached it (no peer may join), else 0. */
  private int peersFull;

  private boolean replay;
  private AnnounceRequest[] requests;

  /** Positions in {@link #requests} of each swarm's announces. */
  private transient Map<InfoHash, int[]> byKey;

  /** The announces this thread applied for one partition of a processor, for its backup. */
  private static final ThreadLocal<Applied> APPLIED = ThreadLocal.withInitial(Applied::new);

  AnnounceProcessor() {}

  /**
   * @param swarmsFull the fleet's swarm cap if the fleet holds that many, else 0
   * @param peersFull the fleet's peer cap if the fleet holds that many, else 0
   */
  AnnounceProcessor(
      int now,
      int timeout,
      int maxPeersPerSwarm,
      int swarmsFull,
      int peersFull,
      AnnounceRequest[] requests) {
    this(now, timeout, maxPeersPerSwarm, swarmsFull, peersFull, false, requests);
  }

  private AnnounceProcessor(
      int now,
      int timeout,
      int maxPeersPerSwarm,
      int swarmsFull,
      int peersFull,
      boolean replay,
      AnnounceRequest[] requests) {
    this.now = now;
    this.timeout = timeout;
    this.maxPeersPerSwarm = maxPeersPerSwarm;
    this.swarmsFull = swarmsFull;
    this.peersFull = peersFull;
    this.replay = replay;
    this.requests = requests;
    this.byKey = index(requests);
  }

  @Override
  public AnnounceReplies process(Map.Entry<InfoHash, Swarm> entry) {
    int[] mine = byKey.get(entry.getKey());
    if (mine == null) {
      return null;
    }
    if (!replay) {
      APPLIED.get().add(this, mine);
    }
    Swarm swarm = entry.getValue();
    Object[] replies = replay ? null : new Object[mine.length];
    boolean changed = false;
    for (int i = 0; i < mine.length; i++) {
      AnnounceRequest request = requests[mine[i]];
      Object reply;
      boolean stopped = request.event() == AnnounceEvent.STOPPED;
      if (swarm == null && stopped) {
        reply = new AnnounceResult(0, 0, request.peer().ipv6(), NO_PEERS);
      } else if (swarm == null && swarmsFull > 0) {
        reply = full(AnnounceRefusedException.Cause.SWARMS, swarmsFull, "swarms");
      } else if (peersFull > 0 && !stopped && (swarm == null || !swarm.has(request.peer()))) {
        reply = full(AnnounceRefusedException.Cause.PEERS, peersFull, "peers");
      } else {
        if (swarm == null) {
          swarm = Swarm.create(request.infoHash());
        }
        try {
          reply = swarm.announce(request, now, timeout, maxPeersPerSwarm);
          changed = true;
        } catch (AnnounceRefusedException e) {
          reply = e;
        }
      }
      if (replies != null) {
        replies[i] = reply;
      }
    }
    if (changed) {
      entry.setValue(swarm.peers() == 0 ? null : swarm);
    }
    return replies == null ? null : new AnnounceReplies(replies);
  }

  private static AnnounceRefusedException full(
      AnnounceRefusedException.Cause cause, int limit, String what) {
    return new AnnounceRefusedException(
        cause, "tracker is full (limit " + limit + " " + what + ")");
  }

  /**
   * A replay of the announces this thread applied for the partition just processed; the whole batch
   * when Hazelcast asks from another thread (more announces than the partition's are harmless: a
   * replay runs only on the partition's keys); none when nothing was applied.
   */
  @Override
  public EntryProcessor<InfoHash, Swarm, AnnounceReplies> getBackupProcessor() {
    if (replay) {
      return null;
    }
    Applied applied = APPLIED.get();
    if (applied.owner != this) {
      return replayOf(requests);
    }
    if (applied.backup == null && applied.count > 0) {
      AnnounceRequest[] mine = new AnnounceRequest[applied.count];
      for (int i = 0; i < mine.length; i++) {
        mine[i] = requests[applied.positions[i]];
      }
      applied.backup = replayOf(mine);
    }
    applied.taken = true; // Hazelcast asks twice (shouldBackup, then the operation): same answer
    return applied.backup;
  }

  /** The announces this processor carries. */
  int announces() {
    return requests.length;
  }

  boolean isReplay() {
    return replay;
  }

  private AnnounceProcessor replayOf(AnnounceRequest[] announces) {
    return new AnnounceProcessor(
        now, timeout, maxPeersPerSwarm, swarmsFull, peersFull, true, announces);
  }

  /**
   * Positions of the announces a thread applied for one processor since its last backup was taken;
   * the next partition's first key starts a new list.
   */
  private static final class Applied {
    AnnounceProcessor owner;
    int[] positions = new int[16];
    int count;
    boolean taken;
    AnnounceProcessor backup;

    void add(AnnounceProcessor processor, int[] at) {
      if (owner != processor || taken) {
        owner = processor;
        count = 0;
        taken = false;
        backup = null;
      }
      if (count + at.length > positions.length) {
        positions = Arrays.copyOf(positions, Math.max(positions.length * 2, count + at.length));
      }
      System.arraycopy(at, 0, positions, count, at.length);
      count += at.length;
    }
  }

  private static Map<InfoHash, int[]> index(AnnounceRequest[] requests) {
    Map<InfoHash, int[]> map = new HashMap<>(requests.length * 2);
    for (int i = 0; i < requests.length; i++) {
      int[] at = map.get(requests[i].infoHash());
      if (at == null) {
        at = new int[] {i};
      } else {
        at = Arrays.copyOf(at, at.length + 1);
        at[at.length - 1] = i;
      }
      map.put(requests[i].infoHash(), at);
    }
    return map;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(now);
    out.writeInt(timeout);
    out.writeInt(maxPeersPerSwarm);
    out.writeInt(swarmsFull);
    out.writeInt(peersFull);
    out.writeBoolean(replay);
    out.writeInt(requests.length);
    for (AnnounceRequest r : requests) {
      // A replay samples nothing: numwant 0 makes the replayed announce skip the sample.
      ClusterSerialization.writeRequest(out, r, replay ? 0 : r.numWant());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    now = in.readInt();
    timeout = in.readInt();
    maxPeersPerSwarm = in.readInt();
    swarmsFull = in.readInt();
    peersFull = in.readInt();
    replay = in.readBoolean();
    requests = new AnnounceRequest[in.readInt()];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = ClusterSerialization.readRequest(in);
    }
    byKey = index(requests);
  }

  @Override
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.ANNOUNCE_PROCESSOR;
  }
}
