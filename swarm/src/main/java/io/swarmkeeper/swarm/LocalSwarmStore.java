package io.swarmkeeper.swarm;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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

  @Override
  public Future<AnnounceResult> announce(AnnounceRequest request) {
    return Future.succeededFuture(announceNow(request));
  }

  /** The announce, answered on the calling thread. */
  public AnnounceResult announceNow(AnnounceRequest request) {
    int now = nowSeconds();
    Shard shard = shardOf(request.infoHash());
    synchronized (shard) {
      Swarm swarm = shard.swarms.get(request.infoHash());
      if (swarm == null) {
        if (request.event() == AnnounceEvent.STOPPED) {
          return new AnnounceResult(0, 0, request.peer().ipv6(), new byte[0]);
        }
        swarm = new Swarm(request.infoHash());
        shard.add(swarm);
      }
      int before = swarm.size();
      AnnounceResult result = swarm.announce(request, now, peerTimeoutSeconds);
      shard.peers += swarm.size() - before;
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
        Swarm swarm = shard.swarms.get(infoHash);
        out.add(swarm == null ? ScrapeStats.EMPTY : swarm.stats());
      }
    }
    return out;
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
            visited += swarm.size();
            int removed = swarm.expire(now, peerTimeoutSeconds);
            removedPeers += removed;
            shard.peers -= removed;
            if (swarm.size() == 0) {
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
   * From the top bits of a mixed hash: the shard's HashMap indexes its table by the low bits, which
   * must not be the same for every key of a shard (they once were, and every bin collided).
   */
  int shardIndex(InfoHash infoHash) {
    return (infoHash.hashCode() * 0x9E3779B9 >>> shardShift) & shardMask;
  }

  /** One lock's worth of swarms: a map for lookup and a dense list for the sweep. */
  private static final class Shard {
    final Map<InfoHash, Swarm> swarms = new HashMap<>();
    Swarm[] list = new Swarm[4];
    int count;
    long peers;

    void add(Swarm swarm) {
      swarms.put(swarm.infoHash, swarm);
      if (count == list.length) {
        list = Arrays.copyOf(list, count * 2);
      }
      swarm.position = count;
      list[count++] = swarm;
    }

    void remove(Swarm swarm) {
      swarms.remove(swarm.infoHash);
      Swarm last = list[--count];
      list[swarm.position] = last;
      last.position = swarm.position;
      list[count] = null;
    }
  }
}
