package io.swarmkeeper.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swarmkeeper.swarm.InfoHash;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completed counts that outlive the process: each completion the store counts is added here in
 * memory ({@link #completed}) and written behind to PostgreSQL ({@link #flush}, every {@code
 * completed.flush-seconds}): one statement a flush, one row per swarm in it, however many
 * completions it carries. A swarm's count as answered ({@link #total}) is its stored total plus
 * what this node has not written yet, so it survives a restart and a swarm that went empty.
 *
 * <p>While PostgreSQL is down, what failed to be written goes back to the pending counts and the
 * next flush tries again: nothing is lost while at most {@code maxPending} swarms wait (past that a
 * new swarm's completions are dropped and counted, {@link #dropped}). Stored totals are cached
 * (bounded, and re-read after {@link #STORED_SECONDS}, so other nodes' flushes show); a total this
 * node never read nor wrote is read for the first scrape that asks, and while PostgreSQL is down
 * the store's own count stands in.
 */
public final class CompletedCounts {
  private static final Logger LOG = LoggerFactory.getLogger(CompletedCounts.class);

  /** How long a stored total is trusted before it is read again (other nodes add to it too). */
  static final int STORED_SECONDS = 30;

  /** Rows deleted a statement when pruning. */
  static final int PRUNE_BATCH = 10_000;

  private final TorrentRegistry registry;
  private final int maxPending;
  private final Duration retention;

  /** Completions counted and not yet handed to a flush. */
  private final ConcurrentHashMap<InfoHash, Long> pending = new ConcurrentHashMap<>();

  /** The flush under way's batch (empty between flushes); guarded by this. */
  private Map<InfoHash, Long> inFlight = Map.of();

  /** Stored totals as last read or written (they only grow); guarded by this for updates. */
  private final Cache<InfoHash, Long> stored;

  /** The flush under way, or a completed one; guarded by this. */
  private Future<Void> flushing = Future.succeededFuture();

  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failedFlushes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  /**
   * @param maxPending swarms whose unwritten completions are kept (the buffer while PostgreSQL is
   *     down)
   * @param cacheSize swarms whose stored total is cached
   * @param retention how long an unregistered swarm's count is kept without a completion
   */
  public CompletedCounts(
      TorrentRegistry registry, int maxPending, long cacheSize, Duration retention) {
    this.registry = registry;
    this.maxPending = maxPending;
    this.retention = retention;
    this.stored =
        Caffeine.newBuilder()
            .maximumSize(cacheSize)
            .expireAfterWrite(Duration.ofSeconds(STORED_SECONDS))
            .build();
  }

  /** One completion the store counted in {@code swarm}; called on any thread. */
  public void completed(InfoHash swarm) {
    if (pending.size() >= maxPending && !pending.containsKey(swarm)) {
      dropped.incrementAndGet();
      return;
    }
    pending.merge(swarm, 1L, Long::sum);
  }

  /**
   * Writes what is pending, after the flush under way (if any); succeeds once written, fails if
   * PostgreSQL did not take it (the counts wait for the next flush then).
   */
  public synchronized Future<Void> flush() {
    flushing = flushing.transform(previous -> write());
    return flushing;
  }

  /** Whether no flush is under way: a periodic flush is skipped while one is. */
  public synchronized boolean idle() {
    return flushing.isComplete();
  }

  private Future<Void> write() {
    Map<InfoHash, Long> batch = new HashMap<>();
    synchronized (this) {
      for (InfoHash swarm : pending.keySet()) {
        Long n = pending.remove(swarm);
        if (n != null) {
          batch.put(swarm, n);
        }
      }
      inFlight = batch;
    }
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    return registry
        .addCompletions(batch)
        .transform(
            done -> {
              synchronized (this) {
                inFlight = Map.of();
                if (done.succeeded()) {
                  done.result().forEach(this::storedAtLeast);
                  written.addAndGet(batch.size());
                } else {
                  batch.forEach((swarm, n) -> pending.merge(swarm, n, Long::sum));
                  if (failedFlushes.incrementAndGet() == 1) {
                    LOG.warn(
                        "cannot write completed counts (they wait for the next flush; later"
                            + " failures are only counted): {}",
                        done.cause().toString());
                  }
                }
              }
              return done.succeeded()
                  ? Future.<Void>succeededFuture()
                  : Future.<Void>failedFuture(done.cause());
            });
  }

  /** A stored total: totals only grow, so an older read never replaces a newer one. */
  private void storedAtLeast(InfoHash swarm, long total) {
    stored.asMap().merge(swarm, total, Math::max);
  }

  /**
   * Reads the stored totals of these swarms that are not cached; fails when PostgreSQL does not
   * answer (then {@link #total} falls back on the store's count for them).
   */
  public Future<Void> load(List<InfoHash> swarms) {
    List<InfoHash> missing = new ArrayList<>();
    for (InfoHash swarm : swarms) {
      if (stored.getIfPresent(swarm) == null) {
        missing.add(swarm);
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    return registry
        .completions(missing)
        .map(
            found -> {
              synchronized (this) {
                for (InfoHash swarm : missing) {
                  storedAtLeast(swarm, found.getOrDefault(swarm, 0L));
                }
              }
              return null;
            });
  }

  /**
   * The swarm's completed count: stored, being written and pending; {@code live}, the store's own
   * count, when the stored total is unknown (not loaded: PostgreSQL is down).
   */
  public long total(InfoHash swarm, long live) {
    long unwritten = pending.getOrDefault(swarm, 0L);
    Long total;
    synchronized (this) {
      total = stored.getIfPresent(swarm);
      unwritten += inFlight.getOrDefault(swarm, 0L);
    }
    return total == null ? Math.max(live, unwritten) : total + unwritten;
  }

  /** Deletes unregistered swarms' counts not completed within the retention; answers how many. */
  public Future<Long> prune() {
    return registry.pruneCompletions(retention, PRUNE_BATCH);
  }

  /** Swarms with completions waiting to be written. */
  public int pending() {
    return pending.size();
  }

  /** Swarm rows written, over all flushes. */
  public long written() {
    return written.get();
  }

  /** Flushes PostgreSQL did not take (their counts were kept for the next). */
  public long failedFlushes() {
    return failedFlushes.get();
  }

  /** Completions lost because {@code maxPending} swarms were waiting already. */
  public long dropped() {
    return dropped.get();
  }
}
