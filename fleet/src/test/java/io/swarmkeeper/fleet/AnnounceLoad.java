package io.swarmkeeper.fleet;

import io.swarmkeeper.udp.UdpResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The known peers announcing again and again from a thread of its own, each request to the next
 * node in turn, one attempt each (timeout 1 s): what clients of a fleet do while a member dies or
 * leaves. It counts what came back, and after {@link #markFailover} when every swarm was answered
 * again after its last failure.
 *
 * <p>The last peer of each swarm stays quiet: a swarm the fleet lost would be built again by the
 * others' announces, but without that peer, so a check afterwards sees the loss.
 */
final class AnnounceLoad implements AutoCloseable {
  /** Requests sent between two looks at the targets and the pace. */
  private static final int CHUNK = 600;

  /** A connection id is good for 180 s; one this old is replaced. */
  private static final long CONNECTION_ID_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** An answer this late is one a client would notice (most come within a millisecond or two). */
  static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /** Counts since the load began. */
  record Counts(long sent, long answered, long failed, long timedOut, long late) {
    Counts minus(Counts before) {
      return new Counts(
          sent - before.sent,
          answered - before.answered,
          failed - before.failed,
          timedOut - before.timedOut,
          late - before.late);
    }

    @Override
    public String toString() {
      return "sent "
          + sent
          + ", answered "
          + answered
          + ", failed (error answer) "
          + failed
          + ", timed out "
          + timedOut
          + " (answers that came later: "
          + late
          + ")";
    }
  }

  private final KnownSwarms swarms;
  private final int perSecond;
  private final Thread thread;
  private final Object targeting = new Object();
  private List<Integer> targets;
  private long targetsAsked;
  private long targetsTaken;
  private volatile boolean stop;
  private volatile Throwable crashed;

  private long sent;
  private long answered;
  private long failed;
  private long timedOut;
  private long late;

  /** Per swarm, after the mark: when the first answer after its last failure left (0: none yet). */
  private long[] recoveredAt;

  private long markNanos;
  private long slowestNanos;
  private long slow;

  AnnounceLoad(KnownSwarms swarms, List<Integer> udpPorts, int perSecond) {
    if (swarms.peersPerSwarm() < 2) {
      throw new IllegalArgumentException("a swarm needs a quiet peer besides the loud ones");
    }
    this.swarms = swarms;
    this.perSecond = perSecond;
    this.targets = List.copyOf(udpPorts);
    this.thread = new Thread(this::run, "announce load");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * From now on, requests go to these nodes' UDP ports in turn. Returns once no request to the
   * previous targets is in flight any more (the next chunk has begun), so that a node stopped next
   * has no request of the load on its way.
   */
  void target(List<Integer> udpPorts) throws InterruptedException {
    synchronized (targeting) {
      targets = List.copyOf(udpPorts);
      long asked = ++targetsAsked;
      while (targetsTaken < asked && thread.isAlive()) {
        targeting.wait(100);
      }
    }
  }

  private List<Integer> takeTargets() {
    synchronized (targeting) {
      targetsTaken = targetsAsked;
      targeting.notifyAll();
      return targets;
    }
  }

  private void run() {
    try (UdpTrackerClient client = new UdpTrackerClient(1000, 1, 128)) {
      long connectionId = 0;
      long connectedAt = 0;
      int loud = swarms.peersPerSwarm() - 1;
      int peers = swarms.count() * loud;
      int at = 0;
      int turn = 0;
      while (!stop) {
        List<Integer> to = takeTargets();
        if (connectionId == 0 || System.nanoTime() - connectedAt > CONNECTION_ID_MAX_AGE_NANOS) {
          connectionId = client.connect(to.get(0));
          connectedAt = System.nanoTime();
        }
        long start = System.nanoTime();
        List<UdpTrackerClient.Request> chunk = new ArrayList<>(CHUNK);
        int[] swarmOf = new int[CHUNK];
        for (int n = 0; n < CHUNK; n++, at = (at + 1) % peers) {
          int s = at / loud;
          int k = at % loud;
          swarmOf[n] = s;
          chunk.add(
              new UdpTrackerClient.Request(
                  to.get(turn++ % to.size()),
                  UdpTrackerClient.announce(
                      swarms.hash(s),
                      swarms.peerPort(s, k),
                      KnownSwarms.left(k),
                      UdpTrackerClient.EVENT_NONE)));
        }
        record(client.exchange(connectionId, chunk), swarmOf, client.late());
        long due = start + TimeUnit.SECONDS.toNanos(CHUNK) / perSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
    } catch (IOException | RuntimeException e) {
      crashed = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void record(
      UdpTrackerClient.Outcome[] outcomes, int[] swarmOf, long lateSoFar) {
    late = lateSoFar;
    Integer[] order = new Integer[outcomes.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // In the order they left, so that "the first answer after the last failure" means that.
    Arrays.sort(order, Comparator.comparingLong(i -> outcomes[i].sentNanos()));
    for (int i : order) {
      UdpTrackerClient.Outcome o = outcomes[i];
      sent++;
      boolean ok = o.announced();
      if (ok) {
        answered++;
      } else if (o.response() instanceof UdpResponse.TrackerError) {
        failed++;
      } else if (o.response() == null) {
        timedOut++;
      } else {
        failed++;
      }
      if (recoveredAt != null && o.sentNanos() >= markNanos) {
        if (ok) {
          long took = o.answeredNanos() - o.sentNanos();
          slowestNanos = Math.max(slowestNanos, took);
          if (took >= SLOW_NANOS) {
            slow++;
          }
        }
        int s = swarmOf[i];
        if (!ok) {
          recoveredAt[s] = 0;
        } else if (recoveredAt[s] == 0) {
          recoveredAt[s] = o.sentNanos();
        }
      }
    }
  }

  synchronized Counts counts() {
    return new Counts(sent, answered, failed, timedOut, late);
  }

  /** The failover starts now (call it just before the kill or the signal). */
  synchronized void markFailover() {
    markNanos = System.nanoTime();
    recoveredAt = new long[swarms.count()];
    slowestNanos = 0;
    slow = 0;
  }

  /**
   * Milliseconds from the mark until the last swarm was answered again after its last failure (the
   * announce that left then), or -1 while some swarm has not been.
   */
  synchronized long recoveryMillis() {
    long last = markNanos;
    for (long t : recoveredAt) {
      if (t == 0) {
        return -1;
      }
      last = Math.max(last, t);
    }
    return (last - markNanos) / 1_000_000;
  }

  /** The slowest answer since the mark, in milliseconds, and how many took 250 ms or more. */
  synchronized String slowest() {
    return slowestNanos / 1_000_000 + " ms (" + slow + " answers took 250 ms or more)";
  }

  /** Swarms not answered since their last failure. */
  synchronized int unrecovered() {
    int n = 0;
    for (long t : recoveredAt) {
      if (t == 0) {
        n++;
      }
    }
    return n;
  }

  /**
   * Stops the load and waits for its last requests; answers what it counted. Fails if the load
   * itself broke.
   */
  Counts stop() throws InterruptedException {
    stop = true;
    thread.join(10_000);
    if (thread.isAlive()) {
      thread.interrupt();
      thread.join(5_000);
    }
    if (crashed != null) {
      throw new AssertionError("the announce load failed", crashed);
    }
    return counts();
  }

  /** Stops the load if a test ended before it did. */
  @Override
  public void close() {
    stop = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
