package io.swarmkeeper.fleet;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one side of a fleet must hold after the announces the test made to it: each swarm's peers in
 * their latest state and its completed count, changed by the tracker's rules. A reference model to
 * compare the real fleet with; swarms are numbered by the test.
 */
final class ExpectedSwarms {
  /** Orders announces across sides, as the announce times a merge compares do. */
  private static final AtomicLong CLOCK = new AtomicLong();

  private record PeerState(boolean seeder, boolean completed, long at) {}

  private static final class Swarm {
    final Map<Peer, PeerState> peers = new LinkedHashMap<>();
    int completed;

    Swarm copy() {
      Swarm c = new Swarm();
      c.peers.putAll(peers);
      c.completed = completed;
      return c;
    }
  }

  private final Map<Integer, Swarm> swarms = new ConcurrentHashMap<>();

  /**
   * Applies an announce of {@code peer} (a seeder when it has nothing left), counting a completion
   * once per peer, as the tracker does.
   */
  void announce(int swarm, Peer peer, boolean seeder, boolean completedEvent) {
    Swarm s = swarms.computeIfAbsent(swarm, k -> new Swarm());
    synchronized (s) {
      PeerState before = s.peers.get(peer);
      boolean counted = before != null && before.completed();
      if (completedEvent && !counted) {
        s.completed++;
        counted = true;
      }
      s.peers.put(peer, new PeerState(seeder, counted, CLOCK.incrementAndGet()));
    }
  }

  /** The peers an announce by {@code self} answers: never itself, and a seeder gets leechers. */
  Set<Peer> answerTo(int swarm, Peer self) {
    Swarm s = swarms.get(swarm);
    Set<Peer> out = new LinkedHashSet<>();
    if (s == null) {
      return out;
    }
    synchronized (s) {
      PeerState me = s.peers.get(self);
      boolean seeder = me != null && me.seeder();
      s.peers.forEach(
          (peer, state) -> {
            if (!peer.equals(self) && !(seeder && state.seeder())) {
              out.add(peer);
            }
          });
    }
    return out;
  }

  SwarmCounts counts(int swarm) {
    Swarm s = swarms.get(swarm);
    if (s == null) {
      return SwarmCounts.EMPTY;
    }
    synchronized (s) {
      int seeders = (int) s.peers.values().stream().filter(PeerState::seeder).count();
      return new SwarmCounts(seeders, s.peers.size() - seeders, s.completed);
    }
  }

  /** Every peer of the swarm, seeders and leechers. */
  Set<Peer> peers(int swarm) {
    Swarm s = swarms.get(swarm);
    if (s == null) {
      return Set.of();
    }
    synchronized (s) {
      return new LinkedHashSet<>(s.peers.keySet());
    }
  }

  Set<Integer> swarms() {
    return new TreeSet<>(swarms.keySet());
  }

  ExpectedSwarms copy() {
    ExpectedSwarms c = new ExpectedSwarms();
    swarms.forEach((k, s) -> c.take(k, s));
    return c;
  }

  /** Makes this side's swarm a copy of {@code other}'s (or absent when it has none). */
  void takeFrom(ExpectedSwarms other, int swarm) {
    Swarm s = other.swarms.get(swarm);
    if (s == null) {
      swarms.remove(swarm);
    } else {
      take(swarm, s);
    }
  }

  private void take(int swarm, Swarm s) {
    synchronized (s) {
      swarms.put(swarm, s.copy());
    }
  }

  /**
   * What the merge promises: the union of both sides' peers, each in the state of its latest
   * announce, and the larger completed count.
   */
  static ExpectedSwarms merge(ExpectedSwarms a, ExpectedSwarms b) {
    ExpectedSwarms merged = a.copy();
    b.swarms.forEach(
        (k, theirs) -> {
          Swarm mine = merged.swarms.computeIfAbsent(k, x -> new Swarm());
          synchronized (theirs) {
            theirs.peers.forEach(
                (peer, state) ->
                    mine.peers.merge(
                        peer,
                        state,
                        (x, y) ->
                            new PeerState(
                                (y.at() > x.at() ? y : x).seeder(),
                                x.completed() || y.completed(),
                                Math.max(x.at(), y.at()))));
            mine.completed = Math.max(mine.completed, theirs.completed);
          }
        });
    return merged;
  }
}
