package io.swarmkeeper.swarm;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded default store: every swarm in this process's heap. Swarms are spread over shards by
 * info_hash, each shard guarded by its own lock (opentracker's buckets), so event loops announcing
 * into different swarms rarely meet. A sweep walks the shards incrementally, doing bounded work per
 * call, and removes peers that have been silent longer than the peer timeout, and then empty
 * swarms.
 */
public final class LocalSwarmStore implements SwarmStore {
  public static final int DEFAULT_SHARDS = 1024;

  private final Ticker ticker;
  private final long originNanos;
  private final int peerTimeoutSeconds;
  private final Shard[] shards;
  private final int shardMask;
  private final int shardShift;

  private volatile SwarmLimits limits = SwarmLimits.NONE;

  private final Object sweepLock = new Object();
  private int sweepShard;
  private int sweepPosition;

  /**
   * @param peerTimeoutSeconds how long a peer stays without announcing: the announce interval plus
   *     a grace period
   */
  public LocalSwarmStore(Ticker ticker, int peerTimeoutSeconds) {
    this(ticker, peerTimeoutSeconds, DEFAULT_SHARDS);
  }

  public LocalSwarmStore(Ticker ticker, int peerTimeoutSeconds, int shardCount) {
    if (peerTimeoutSeconds <= 0 || peerTimeoutSeconds > PeerTable.MAX_TIMEOUT_SECONDS) {
      throw new IllegalArgumentException(
          "peerTimeoutSeconds must be 1.."
              + PeerTable.MAX_TIMEOUT_SECONDS
              + ", got "
              + peerTimeoutSeconds);
    }
    if (shardCount <= 0 || Integer.bitCount(shardCount) != 1) {
      throw new IllegalArgumentException("shardCount must be a power of two, got " + shardCount);
    }
    this.ticker = ticker;
    this.originNanos = ticker.nanos();
    this.peerTimeoutSeconds = peerTimeoutSeconds;
    this.shards = new Shard[shardCount];
    for (int i = 0; i < shardCount; i++) {
      shards[i] = new Shard();
    }
    this.shardMask = shardCount - 1;
    this.shardShift = 32 - Integer.numberOfTrailingZeros(shardCount);
  }

  public int peerTimeoutSeconds() {
    return peerTimeoutSeconds;
  }

  /**
   * Sets the caps on state; may be called at any time (a reload), and applies to later announces.
   */
  public void setLimits(SwarmLimits limits) {
    this.limits = java.util.Objects.requireNonNull(limits, "limits");
  }

  public SwarmLimits limits() {
    return limits;
  }

  @Override
  public Future<AnnounceResult> announce(AnnounceRequest request) {
    return Future.succeededFuture(announceNow(request));
  }

  /** The announce, answered on the calling thread. */
  public AnnounceResult announceNow(AnnounceRequest request) {
    int now = nowSeconds();
    Shard shard = shardOf(request.infoHash());
    synchronized (shard) {
      Swarm swarm = shard.get(request.infoHash());
      if (swarm == null) {
        if (request.event() == AnnounceEvent.STOPPED) {
          return new AnnounceResult(0, 0, request.peer().ipv6(), new byte[0]);
        }
        swarm = new Swarm(request.infoHash());
        shard.add(swarm);
      }
      int before = swarm.peers();
      AnnounceResult result = swarm.announce(request, now, peerTimeoutSeconds);
      shard.peers += swarm.peers() - before;
      return result;
    }
  }

  @Override
  public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes) {
    return Future.succeededFuture(scrapeNow(infoHashes));
  }

  public List<ScrapeStats> scrapeNow(List<InfoHash> infoHashes) {
    List<ScrapeStats> out = new ArrayList<>(infoHashes.size());
    for (InfoHash infoHash : infoHashes) {
      Shard shard = shardOf(infoHash);
      synchronized (shard) {
        Swarm swarm = shard.get(infoHash);
        out.add(swarm == null ? ScrapeStats.EMPTY : swarm.stats());
      }
    }
    return out;
  }

  @Override
  public Future<Map<InfoHash, ScrapeStats>> scrapeAll(int limit) {
    Map<InfoHash, ScrapeStats> out = new LinkedHashMap<>();
    for (Shard shard : shards) {
      synchronized (shard) {
        for (int i = 0; i < shard.count && out.size() < limit; i++) {
          Swarm swarm = shard.list[i];
          out.put(swarm.infoHash(), swarm.stats());
        }
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public long swarmCount() {
    long n = 0;
    for (Shard shard : shards) {
      synchronized (shard) {
        n += shard.count;
      }
    }
    return n;
  }

  @Override
  public long peerCount() {
    long n = 0;
    for (Shard shard : shards) {
      synchronized (shard) {
        n += shard.peers;
      }
    }
    return n;
  }

  /**
   * Continues the expiry sweep where the last call stopped: visits swarms until about {@code
   * budget} peers have been looked at (at most one swarm more) or the end of a full pass over the
   * shards is reached. Removes expired peers, then empty swarms.
   *
   * @return the work done in this call
   */
  public SweepProgress sweep(int budget) {
    if (budget <= 0) {
      throw new IllegalArgumentException("budget must be > 0, got " + budget);
    }
    int now = nowSeconds();
    int visited = 0;
    int removedPeers = 0;
    int removedSwarms = 0;
    boolean passEnded = false;
    synchronized (sweepLock) {
      while (visited < budget && !passEnded) {
        Shard shard = shards[sweepShard];
        synchronized (shard) {
          visited++; // an empty shard costs a step too, so an empty store ends the loop
          while (sweepPosition < shard.count && visited < budget) {
            Swarm swarm = shard.list[sweepPosition];
            visited += swarm.peers();
            int removed = swarm.expireAll(now, peerTimeoutSeconds);
            removedPeers += removed;
            shard.peers -= removed;
            if (swarm.peers() == 0) {
              shard.remove(swarm); // the last swarm moves into this position: look again
              removedSwarms++;
            } else {
              sweepPosition++;
            }
          }
          if (sweepPosition >= shard.count) {
            sweepShard = (sweepShard + 1) & shardMask;
            sweepPosition = 0;
            passEnded = sweepShard == 0;
          }
        }
      }
    }
    return new SweepProgress(visited, removedPeers, removedSwarms, passEnded);
  }

  /** A whole pass from the first shard; for tests and shutdown, not for the event loop. */
  public SweepProgress sweepAll() {
    synchronized (sweepLock) {
      sweepShard = 0;
      sweepPosition = 0;
      int visited = 0;
      int peers = 0;
      int swarms = 0;
      SweepProgress step;
      do {
        step = sweep(Integer.MAX_VALUE);
        visited += step.visited();
        peers += step.removedPeers();
        swarms += step.removedSwarms();
      } while (!step.passEnded());
      return new SweepProgress(visited, peers, swarms, true);
    }
  }

  /**
   * What one sweep call did.
   *
   * @param visited peers and shards looked at
   * @param passEnded whether this call finished a pass over every shard
   */
  public record SweepProgress(
      int visited, int removedPeers, int removedSwarms, boolean passEnded) {}

  private int nowSeconds() {
    return (int) ((ticker.nanos() - originNanos) / 1_000_000_000L);
  }

  private Shard shardOf(InfoHash infoHash) {
    return shards[shardIndex(infoHash)];
  }

  /**
   * From the top bits of the keyed hash: the shard's table indexes by the low bits, which must not
   * be the same for every key of a shard (they once were, and every bin collided).
   */
  int shardIndex(InfoHash infoHash) {
    return (infoHash.hashCode() >>> shardShift) & shardMask;
  }

  /** The longest probe sequence of any shard's table: a flood's footprint, for tests. */
  int longestProbe() {
    int longest = 0;
    for (Shard shard : shards) {
      synchronized (shard) {
        longest = Math.max(longest, shard.longestProbe());
      }
    }
    return longest;
  }

  /** Swarms in the fullest shard, for tests. */
  int largestShard() {
    int largest = 0;
    for (Shard shard : shards) {
      synchronized (shard) {
        largest = Math.max(largest, shard.count);
      }
    }
    return largest;
  }

  /**
   * One lock's worth of swarms: an open-addressing table (linear probing, load at most 1/2,
   * backward-shift deletion) keyed by the info_hash fields held in each {@link Swarm}, and a dense
   * list for the sweep. Cheaper than a {@code HashMap<InfoHash, Swarm>}: no node and no key object
   * to reach before the swarm.
   */
  private static final class Shard {
    Swarm[] table = new Swarm[8];
    Swarm[] list = new Swarm[4];
    int count;
    long peers;

    Swarm get(InfoHash infoHash) {
      int mask = table.length - 1;
      for (int p = infoHash.hashCode() & mask; ; p = (p + 1) & mask) {
        Swarm s = table[p];
        if (s == null || s.is(infoHash)) {
          return s;
        }
      }
    }

    void add(Swarm swarm) {
      if ((count + 1) * 2 > table.length) {
        resize(table.length * 2);
      }
      insert(table, swarm);
      if (count == list.length) {
        list = Arrays.copyOf(list, count * 2);
      }
      swarm.position = count;
      list[count++] = swarm;
    }

    void remove(Swarm swarm) {
      int mask = table.length - 1;
      int hole = swarm.hash & mask;
      while (table[hole] != swarm) {
        hole = (hole + 1) & mask;
      }
      for (int q = (hole + 1) & mask; table[q] != null; q = (q + 1) & mask) {
        int home = table[q].hash & mask;
        if (((q - home) & mask) >= ((q - hole) & mask)) {
          table[hole] = table[q];
          hole = q;
        }
      }
      table[hole] = null;
      Swarm last = list[--count];
      list[swarm.position] = last;
      last.position = swarm.position;
      list[count] = null;
      if (table.length > 8 && count * 8 < table.length) {
        resize(table.length / 2);
      }
    }

    int longestProbe() {
      int mask = table.length - 1;
      int longest = 0;
      for (int p = 0; p < table.length; p++) {
        if (table[p] != null) {
          longest = Math.max(longest, ((p - table[p].hash) & mask) + 1);
        }
      }
      return longest;
    }

    private void resize(int length) {
      Swarm[] fresh = new Swarm[length];
      for (int i = 0; i < count; i++) {
        insert(fresh, list[i]);
      }
      table = fresh;
    }

    private static void insert(Swarm[] table, Swarm swarm) {
      int mask = table.length - 1;
      int p = swarm.hash & mask;
      while (table[p] != null) {
        p = (p + 1) & mask;
      }
      table[p] = swarm;
    }
  }
}
