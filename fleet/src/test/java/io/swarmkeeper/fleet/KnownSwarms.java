package io.swarmkeeper.fleet;

import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.udp.UdpResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the fleet must hold: swarms whose peers the test announced, so that every swarm can be
 * checked exactly on any node. Each swarm has {@code peersPerSwarm} peers on 127.0.0.1, the first a
 * seeder and the others leechers, on ports of their own (no two peers of any swarm share one).
 */
final class KnownSwarms {
  /** Scrapes carry at most the tracker's default max-scrape-hashes. */
  private static final int SCRAPE_BATCH = 74;

  /** Peers that look and leave are above every known peer's port. */
  private static final int FRESH_PORT = 65_000;

  private final long high = ThreadLocalRandom.current().nextLong();
  private final int low = ThreadLocalRandom.current().nextInt();
  private final int count;
  private final int peersPerSwarm;

  KnownSwarms(int count, int peersPerSwarm) {
    if ((long) count * peersPerSwarm > 60_000) {
      throw new IllegalArgumentException("peers need ports of their own: at most 60000 peers");
    }
    this.count = count;
    this.peersPerSwarm = peersPerSwarm;
  }

  int count() {
    return count;
  }

  int peersPerSwarm() {
    return peersPerSwarm;
  }

  InfoHash hash(int swarm) {
    return InfoHash.of(high, swarm, low);
  }

  int peerPort(int swarm, int peer) {
    return 1024 + swarm * peersPerSwarm + peer;
  }

  /** Bytes left to download: 0 makes the first peer a seeder. */
  static long left(int peer) {
    return peer == 0 ? 0 : 1000;
  }

  int seeders() {
    return 1;
  }

  int leechers() {
    return peersPerSwarm - 1;
  }

  /** Every known peer's announce, one after another to the given UDP ports in turn. */
  List<UdpTrackerClient.Request> announces(List<Integer> udpPorts, int event) {
    List<UdpTrackerClient.Request> out = new ArrayList<>(count * peersPerSwarm);
    for (int s = 0; s < count; s++) {
      for (int k = 0; k < peersPerSwarm; k++) {
        int port = udpPorts.get(out.size() % udpPorts.size());
        out.add(
            new UdpTrackerClient.Request(
                port, UdpTrackerClient.announce(hash(s), peerPort(s, k), left(k), event)));
      }
    }
    return out;
  }

  /** Announces every known peer (event started) over the given nodes; each must be answered. */
  void populate(UdpTrackerClient client, long connectionId, List<Integer> udpPorts)
      throws IOException {
    UdpTrackerClient.Outcome[] outcomes =
        client.exchange(connectionId, announces(udpPorts, UdpTrackerClient.EVENT_STARTED));
    int failed = 0;
    UdpResponse example = null;
    for (UdpTrackerClient.Outcome o : outcomes) {
      if (!o.announced()) {
        failed++;
        example = o.response();
      }
    }
    if (failed > 0) {
      throw new AssertionError(
          failed + " of " + outcomes.length + " announces not answered; e.g. " + example);
    }
  }

  /**
   * Checks every swarm on the node at {@code udpPort}: its scrape counts the known seeders and
   * leechers exactly, and a fresh leecher is handed exactly the known peers (then leaves again, so
   * that the swarm is as it was). Answers what differs, empty when all is as known.
   */
  List<String> verify(UdpTrackerClient client, long connectionId, int udpPort, int freshPeer)
      throws IOException {
    List<String> problems = verifyScrapes(client, connectionId, udpPort);
    problems.addAll(verifyFreshPeer(client, connectionId, udpPort, freshPeer));
    return problems;
  }

  /** Checks every swarm's scrape on the node at {@code udpPort}; answers what differs. */
  List<String> verifyScrapes(UdpTrackerClient client, long connectionId, int udpPort)
      throws IOException {
    List<String> problems = new ArrayList<>();
    List<UdpTrackerClient.Request> scrapes = new ArrayList<>();
    for (int from = 0; from < count; from += SCRAPE_BATCH) {
      List<InfoHash> batch = new ArrayList<>();
      for (int s = from; s < Math.min(count, from + SCRAPE_BATCH); s++) {
        batch.add(hash(s));
      }
      scrapes.add(new UdpTrackerClient.Request(udpPort, UdpTrackerClient.scrape(batch)));
    }
    UdpTrackerClient.Outcome[] scraped = client.exchange(connectionId, scrapes);
    for (int b = 0; b < scraped.length; b++) {
      if (!(scraped[b].response() instanceof UdpResponse.Scraped s)) {
        problems.add(
            "scrape of swarms " + b * SCRAPE_BATCH + ".. answered " + scraped[b].response());
        continue;
      }
      for (int j = 0; j < s.stats().size(); j++) {
        var st = s.stats().get(j);
        if (st.seeders() != seeders() || st.leechers() != leechers()) {
          problems.add(
              "swarm "
                  + (b * SCRAPE_BATCH + j)
                  + " scraped "
                  + st.seeders()
                  + " seeders, "
                  + st.leechers()
                  + " leechers");
        }
      }
    }
    return problems;
  }

  /**
   * A fresh leecher announces to every swarm on the node at {@code udpPort}, must be handed exactly
   * the known peers, and leaves again; answers what differs.
   */
  List<String> verifyFreshPeer(
      UdpTrackerClient client, long connectionId, int udpPort, int freshPeer) throws IOException {
    List<String> problems = new ArrayList<>();
    int port = FRESH_PORT + freshPeer;
    List<UdpTrackerClient.Request> looks = new ArrayList<>();
    List<UdpTrackerClient.Request> leaves = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      looks.add(
          new UdpTrackerClient.Request(
              udpPort,
              UdpTrackerClient.announce(hash(s), port, 1000, UdpTrackerClient.EVENT_STARTED)));
      leaves.add(
          new UdpTrackerClient.Request(
              udpPort,
              UdpTrackerClient.announce(hash(s), port, 1000, UdpTrackerClient.EVENT_STOPPED)));
    }
    UdpTrackerClient.Outcome[] looked = client.exchange(connectionId, looks);
    for (int s = 0; s < count; s++) {
      if (!(looked[s].response() instanceof UdpResponse.Announced a)) {
        problems.add("swarm " + s + ": fresh peer's announce answered " + looked[s].response());
        continue;
      }
      int[] ports = a.peers().stream().mapToInt(PeerEndpoint::port).sorted().toArray();
      int[] known = new int[peersPerSwarm];
      for (int k = 0; k < peersPerSwarm; k++) {
        known[k] = peerPort(s, k);
      }
      if (!Arrays.equals(ports, known)
          || a.seeders() != seeders()
          || a.leechers() != leechers() + 1) {
        problems.add(
            "swarm "
                + s
                + ": fresh peer got peers "
                + Arrays.toString(ports)
                + " (known "
                + Arrays.toString(known)
                + "), "
                + a.seeders()
                + " seeders, "
                + a.leechers()
                + " leechers");
      }
    }
    UdpTrackerClient.Outcome[] left = client.exchange(connectionId, leaves);
    for (int s = 0; s < count; s++) {
      if (!left[s].announced()) {
        problems.add("swarm " + s + ": fresh peer's stop answered " + left[s].response());
      }
    }
    return problems;
  }

  /** Fails with how many problems there were and the first few, if there were any. */
  static void assertNone(List<String> problems, String where) {
    if (!problems.isEmpty()) {
      throw new AssertionError(
          where
              + ": "
              + problems.size()
              + " problem(s), the first: "
              + String.join("; ", problems.subList(0, Math.min(10, problems.size()))));
    }
  }
}
