package io.swarmkeeper.swarm;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
  private volatile int peerTimeoutSeconds;
  private volatile PeerCensus census;
  private long passIpv4;
  private long passIpv6;
  private long passSeeders;
  private LargestSwarms passLargest = new LargestSwarms(LargestSwarms.SIZE);
  private volatile List<LargestSwarms.Entry> largest = List.of();
  private final Shard[] shards;
  private final int shardMask;
  private final int shardShift;

  private volatile SwarmLimits limits = SwarmLimits.NONE;

  /** Null while every cap is 0: then nothing is counted. Read under a shard's lock. */
  private volatile StateAccounts accounts;

  private final Object limitsLock = new Object();
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
   * Changes how long a peer stays without announcing, for later announces and sweeps (the interval
   * policy keeps it at the longest interval a client may still be waiting out, plus grace).
   */
  public void setPeerTimeoutSeconds(int seconds) {
    if (seconds <= 0 || seconds > PeerTable.MAX_TIMEOUT_SECONDS) {
      throw new IllegalArgumentException(
          "peerTimeoutSeconds must be 1.." + PeerTable.MAX_TIMEOUT_SECONDS + ", got " + seconds);
    }
    this.peerTimeoutSeconds = seconds;
  }

  /**
   * Sets the caps on state; may be called at any time (a reload), and applies to later announces.
   * Turning the first cap on counts what is already stored (once, shard by shard); with every cap
   * at 0 nothing is counted at all.
   */
  public void setLimits(SwarmLimits limits) {
    Objects.requireNonNull(limits, "limits");
    synchronized (limitsLock) {
      this.limits = limits;
      if (limits.equals(SwarmLimits.NONE)) {
        accounts = null;
      } else if (accounts == null) {
        accounts = new StateAccounts();
        for (Shard shard : shards) {
          synchronized (shard) {
            accountsOf(shard);
          }
        }
      }
    }
  }

  public SwarmLimits limits() {
    return limits;
  }

  /** Per-address counts while some cap is set, else null; for tests. */
  StateAccounts accounts() {
    return accounts;
  }

  /** Answers a refusal by a cap as a failed future, as the interface asks. */
  @Override
  public Future<AnnounceResult> announce(AnnounceRequest request) {
    try {
      return Future.succeededFuture(announceNow(request));
    } catch (AnnounceRefusedException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * The announce, answered on the calling thread.
   *
   * @throws AnnounceRefusedException when it would add a swarm or a peer past a cap; a re-announce
   *     of a stored peer is never refused
   */
  public AnnounceResult announceNow(AnnounceRequest request) {
    AnnounceCall call = AnnounceCall.SCRATCH.get().set(request);
    announceInto(call);
    return call.result();
  }

  @Override
  public boolean answersInline() {
    return true;
  }

  /**
   * The announce, answered on the calling thread into the call: the path that allocates nothing
   * (but the swarm, when the announce creates one).
   *
   * @throws AnnounceRefusedException when it would add a swarm or a peer past a cap; a re-announce
   *     of a stored peer is never refused
   */
  @Override
  public void announceInto(AnnounceCall call) {
    int now = nowSeconds();
    boolean stopped = call.event == AnnounceEvent.STOPPED;
    Shard shard = shards[shardIndex(call.hash)];
    synchronized (shard) {
      StateAccounts accounts = accountsOf(shard);
      Swarm swarm =
          fresh(
              shard,
              shard.get(call.hashHigh, call.hashMiddle, call.hashLow, call.hash),
              now,
              accounts);
      int index;
      if (swarm == null) {
        if (stopped) {
          call.answer(0, 0, 0);
          return;
        }
        long creator = AddressCounts.addressOf(call);
        if (accounts != null) {
          admitSwarmAndPeer(accounts, creator);
        }
        swarm = new Swarm(call.infoHash(), creator);
        shard.add(swarm);
        index = -1;
      } else {
        index = swarm.indexOf(call);
        if (index < 0 && !stopped && accounts != null) {
          accounts.admitPeer(AddressCounts.addressOf(call), swarm.peers(), limits);
        }
      }
      int before = swarm.peers();
      swarm.announce(call, index, now);
      shard.peers += swarm.peers() - before;
      if (swarm.peers() < before) {
        if (accounts != null) {
          accounts.peerLeft(AddressCounts.addressOf(call));
        }
        if (swarm.peers() == 0) {
          remove(shard, swarm, accounts);
        }
      }
    }
  }

  private void admitSwarmAndPeer(StateAccounts accounts, long creator) {
    SwarmLimits caps = limits;
    accounts.admitPeer(creator, 0, caps);
    try {
      accounts.admitSwarm(creator, caps);
    } catch (AnnounceRefusedException e) {
      accounts.peerLeft(creator);
      throw e;
    }
  }

  @Override
  public Future<List<ScrapeStats>> scrape(List<InfoHash> infoHashes) {
    return Future.succeededFuture(scrapeNow(infoHashes));
  }

  public List<ScrapeStats> scrapeNow(List<InfoHash> infoHashes) {
    int now = nowSeconds();
    List<ScrapeStats> out = new ArrayList<>(infoHashes.size());
    for (InfoHash infoHash : infoHashes) {
      Shard shard = shardOf(infoHash);
      synchronized (shard) {
        Swarm swarm = fresh(shard, shard.get(infoHash), now, accountsOf(shard));
        out.add(swarm == null ? ScrapeStats.EMPTY : swarm.stats());
      }
    }
    return out;
  }

  @Override
  public Future<Map<InfoHash, ScrapeStats>> scrapeAll(int limit) {
    int now = nowSeconds();
    Map<InfoHash, ScrapeStats> out = new LinkedHashMap<>();
    for (int s = 0; s < shards.length && out.size() < limit; s++) {
      Shard shard = shards[s];
      synchronized (shard) {
        StateAccounts accounts = accountsOf(shard);
        for (int i = 0; i < shard.count && out.size() < limit; ) {
          Swarm swarm = fresh(shard, shard.list[i], now, accounts);
          if (swarm != null) { // else the last swarm moved into position i
            out.put(swarm.infoHash(), swarm.stats());
            i++;
          }
        }
      }
    }
    return Future.succeededFuture(out);
  }

  /**
   * The swarm with its silent peers gone, so that no count includes them, or null when none is left
   * (or there was no swarm). Does the work only when the swarm's oldest announce says a peer may
   * have expired: each peer is removed once, and a look that removes nothing moves the bound
   * forward by at least the grace period.
   */
  private Swarm fresh(Shard shard, Swarm swarm, int now, StateAccounts accounts) {
    if (swarm == null || !swarm.mayHaveExpired(now, peerTimeoutSeconds)) {
      return swarm;
    }
    int removed = swarm.expireAll(now, peerTimeoutSeconds, accounts);
    shard.peers -= removed;
    if (swarm.peers() == 0) {
      remove(shard, swarm, accounts);
      return null;
    }
    return swarm;
  }

  private static void remove(Shard shard, Swarm swarm, StateAccounts accounts) {
    shard.remove(swarm);
    if (accounts != null) {
      accounts.swarmLeft(swarm.creator);
    }
  }

  /**
   * The accounts to keep while holding the shard's lock: a shard first seen after accounting began
   * counts what it holds, once.
   */
  private StateAccounts accountsOf(Shard shard) {
    StateAccounts current = accounts;
    if (shard.accountedIn != current) {
      if (current != null) {
        for (int i = 0; i < shard.count; i++) {
          shard.list[i].accountAll(current);
        }
      }
      shard.accountedIn = current;
    }
    return current;
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
          StateAccounts accounts = accountsOf(shard);
          visited++; // an empty shard costs a step too, so an empty store ends the loop
          while (sweepPosition < shard.count && visited < budget) {
            Swarm swarm = shard.list[sweepPosition];
            visited += swarm.peers();
            int removed = swarm.expireAll(now, peerTimeoutSeconds, accounts);
            removedPeers += removed;
            shard.peers -= removed;
            if (swarm.peers() == 0) {
              remove(shard, swarm, accounts); // the last swarm moves here: look again
              removedSwarms++;
            } else {
              passIpv4 += swarm.ipv4Peers();
              passIpv6 += swarm.ipv6Peers();
              int seeders = swarm.allSeeders();
              passSeeders += seeders;
              passLargest.offer(swarm.infoHash(), seeders, swarm.peers() - seeders);
              sweepPosition++;
            }
          }
          if (sweepPosition >= shard.count) {
            sweepShard = (sweepShard + 1) & shardMask;
            sweepPosition = 0;
            passEnded = sweepShard == 0;
            if (passEnded) {
              census = new PeerCensus(passIpv4, passIpv6, passSeeders);
              largest = passLargest.result();
              passLargest = new LargestSwarms(LargestSwarms.SIZE);
              passIpv4 = 0;
              passIpv6 = 0;
              passSeeders = 0;
            }
          }
        }
      }
    }
    return new SweepProgress(visited, removedPeers, removedSwarms, passEnded);
  }

  @Override
  public PeerCensus census() {
    return census;
  }

  @Override
  public List<LargestSwarms.Entry> largestSwarms() {
    return largest;
  }

  /** A whole pass from the first shard; for tests and shutdown, not for the event loop. */
  public SweepProgress sweepAll() {
    synchronized (sweepLock) {
      sweepShard = 0;
      sweepPosition = 0;
      passIpv4 = 0;
      passIpv6 = 0;
      passSeeders = 0;
      passLargest = new LargestSwarms(LargestSwarms.SIZE);
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
    return shardIndex(infoHash.hashCode());
  }

  private int shardIndex(int hash) {
    return (hash >>> shardShift) & shardMask;
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

    /** The accounts that count this shard's swarms and peers (null: none). */
    StateAccounts accountedIn;

    Swarm get(InfoHash infoHash) {
      return get(infoHash.high(), infoHash.middle(), infoHash.low(), infoHash.hashCode());
    }

    Swarm get(long high, long middle, int low, int hash) {
      int mask = table.length - 1;
      for (int p = hash & mask; ; p = (p + 1) & mask) {
        Swarm s = table[p];
        if (s == null || s.is(high, middle, low)) {
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
