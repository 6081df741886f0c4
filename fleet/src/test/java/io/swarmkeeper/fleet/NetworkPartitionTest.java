package io.swarmkeeper.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swarmkeeper.swarm.InfoHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A fleet split by a real network partition: three nodes on three hosts (network namespaces), the
 * third cut off from the other two by taking its cluster link down. Both sides keep answering, each
 * with its own side's peers, and once the link is back the merge keeps every peer of both sides.
 */
class NetworkPartitionTest {
  private static final int FLEET = 3;

  /** The host cut off: a side of one against a side of two. */
  private static final int CUT = 3;

  /** Swarms announced before the split, then on both sides while apart. */
  private static final int OLD = 200;

  /** Swarms first announced while apart: on both sides, on side A only, on side B only. */
  private static final int BOTH_NEW = 20;

  private static final int A_NEW = 10;
  private static final int B_NEW = 10;
  private static final int SWARMS = OLD + BOTH_NEW + A_NEW + B_NEW;

  /** Failure detection takes 5 s; answers that take longer than this mean a side stopped. */
  private static final int RESUME_BOUND_SECONDS = 30;

  private static final int MERGE_BOUND_SECONDS = 90;

  private static TestHosts hosts;
  private static final List<HostedNode> nodes = new ArrayList<>();
  private static ExecutorService clients;

  private final TrackerClient tracker = new TrackerClient();
  private final List<InfoHash> hashes =
      IntStream.range(0, SWARMS).mapToObj(NetworkPartitionTest::hash).toList();
  private final long started = System.nanoTime();

  @BeforeAll
  static void makeHosts() throws Exception {
    String why = TestHosts.unavailable();
    assumeTrue(why == null, "network partition test skipped: " + why);
    hosts = TestHosts.create(FLEET);
    clients = Executors.newFixedThreadPool(8);
    // Should the test JVM be stopped before @AfterAll (a build timeout), no node outlives it.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(NetworkPartitionTest::removeEverything, "netsplit-cleanup"));
  }

  @AfterAll
  static synchronized void removeEverything() {
    if (clients != null) {
      clients.shutdownNow();
    }
    for (HostedNode node : nodes) {
      node.close();
    }
    nodes.clear();
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void bothSidesAnswerWhileApartAndTheMergeKeepsEveryPeer() throws Exception {
    try {
      scenario();
    } catch (Throwable t) {
      for (HostedNode node : nodes) {
        System.out.println("--- host " + node.host() + ": log tail ---\n" + node.logTail(40));
        for (String thread : node.threadDump().split("\n\n")) {
          if (thread.contains("swarmkeeper-fleet-maintenance")) {
            System.out.println("--- host " + node.host() + ": " + thread.trim());
          }
        }
      }
      throw t;
    }
  }

  private void scenario() throws Exception {
    String cluster = "netsplit-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Path logs = Path.of("target", "netsplit-logs", cluster);
    for (int host = 1; host <= FLEET; host++) {
      nodes.add(HostedNode.start(hosts, host, FLEET, cluster, logs));
    }
    double formed =
        await(
            "the fleet to form: 3 members, ready",
            60,
            () -> nodes.stream().allMatch(n -> n.isReady() && n.fleetMembers() == FLEET));
    report(
        "formed: %d members ready after %.1f s (hosts in namespaces %s..%d)",
        FLEET, formed, hosts.namespace(1), FLEET);

    ExpectedSwarms before = new ExpectedSwarms();
    announceBeforeSplit(before);
    await("the fleet to be safe again", 30, () -> nodes.stream().allMatch(HostedNode::isReady));

    // Side A: hosts 1 and 2; side B: host 3, alone.
    HostedNode b = node(CUT);
    long cut = System.nanoTime();
    hosts.cut(CUT);
    AtomicInteger failedProbes = new AtomicInteger();
    CompletableFuture<Double> aResumes = resumes(node(1), cut, failedProbes);
    CompletableFuture<Double> bResumes = resumes(b, cut, failedProbes);
    double apart =
        await(
            "each side to see itself apart",
            60,
            () ->
                b.fleetMembers() == 1
                    && node(1).fleetMembers() == FLEET - 1
                    && node(2).fleetMembers() == FLEET - 1);
    double aAnswers = aResumes.get(RESUME_BOUND_SECONDS + 15, TimeUnit.SECONDS);
    double bAnswers = bResumes.get(RESUME_BOUND_SECONDS + 15, TimeUnit.SECONDS);
    report(
        "cut host %d off: apart after %.1f s (it sees 1 member, hosts 1-2 see 2); answers for every"
            + " swarm resumed after %.1f s on side A (host 1), %.1f s on side B (host 3);"
            + " %d probe requests failed meanwhile",
        CUT, apart, aAnswers, bAnswers, failedProbes.get());

    ExpectedSwarms sideA = before.copy();
    ExpectedSwarms bWithCopy = before.copy();
    ExpectedSwarms bWithout = new ExpectedSwarms();
    int[] split = announceWhileApart(sideA, bWithCopy, bWithout);
    ExpectedSwarms sideB = new ExpectedSwarms();
    int held = checkSides(sideA, bWithCopy, bWithout, sideB);
    report(
        "while apart: %d announces to side A, %d to side B, each answered with its own side's"
            + " peers; host 3 held a copy of %d of %d swarms from before the split",
        split[0], split[1], held, OLD);

    long heal = System.nanoTime();
    hosts.heal(CUT);
    double timeApart = (heal - cut) / 1e9;
    double joined =
        await(
            "host 3 to rejoin: 3 members in every /fleet, every node ready",
            MERGE_BOUND_SECONDS,
            () -> nodes.stream().allMatch(n -> n.fleetMembers() == FLEET && n.isReady()));
    ExpectedSwarms merged = ExpectedSwarms.merge(sideA, sideB);
    double consistent = awaitMergedCounts(merged, heal);
    int peers = checkEveryPeer(merged);
    Comparison completed = compareCompleted(sideA, sideB);
    report(
        "healed after %.1f s apart: 3 members on every node %.1f s after the heal, every node's"
            + " scrape agreeing with the merge %.1f s after it",
        timeApart, joined, consistent);
    report(
        "checked %d peers in %d swarms on each of %d nodes (union of both sides, none lost);"
            + " completed = max of the sides (A larger %d, B larger %d, equal %d)",
        peers, SWARMS, FLEET, completed.aLarger, completed.bLarger, completed.equal);
    report("runtime %.1f s", elapsed(started));
  }

  /** Each old swarm gets a seeder and two leechers, announced round the nodes. */
  private void announceBeforeSplit(ExpectedSwarms model) throws Exception {
    List<Callable<Void>> work = new ArrayList<>();
    for (int j = 0; j < OLD; j++) {
      int swarm = j;
      HostedNode node = nodes.get(j % FLEET);
      work.add(
          () -> {
            announce(node, model, swarm, peer(50, 1, swarm), true, swarm % 2 == 0);
            announce(node, model, swarm, peer(50, 2, swarm), false, false);
            announce(node, model, swarm, peer(50, 3, swarm), false, false);
            return null;
          });
    }
    runAll(work);
  }

  /** Announces and checks the answer against the model, exactly. */
  private void announce(
      HostedNode node,
      ExpectedSwarms model,
      int swarm,
      Peer peer,
      boolean seeder,
      boolean completed)
      throws IOException {
    TrackerClient.Answer answer = send(node, swarm, peer, seeder, completed);
    model.announce(swarm, peer, seeder, completed);
    assertThat(answer)
        .as("announce of %s to swarm %d on host %d", peer, swarm, node.host())
        .isEqualTo(answerOf(model, swarm, peer));
  }

  /** A seeder has nothing left; a leecher 1000 bytes. */
  private TrackerClient.Answer send(
      HostedNode node, int swarm, Peer peer, boolean seeder, boolean completed) throws IOException {
    return tracker.announce(
        node.tracker(), hashes.get(swarm), peer, seeder ? 0 : 1000, completed ? "completed" : null);
  }

  private static TrackerClient.Answer answerOf(ExpectedSwarms model, int swarm, Peer self) {
    SwarmCounts c = model.counts(swarm);
    return new TrackerClient.Answer(c.seeders(), c.leechers(), model.answerTo(swarm, self));
  }

  /**
   * Polls a scrape of every old swarm on the node until one answers all of them: the time from the
   * cut, in seconds.
   */
  private CompletableFuture<Double> resumes(HostedNode node, long cut, AtomicInteger failures) {
    return CompletableFuture.supplyAsync(
        () -> {
          long deadline = cut + TimeUnit.SECONDS.toNanos(RESUME_BOUND_SECONDS);
          while (true) {
            try {
              tracker.scrape(node.tracker(), hashes.subList(0, OLD));
              return elapsed(cut);
            } catch (IOException e) {
              failures.incrementAndGet();
              if (System.nanoTime() > deadline) {
                throw new AssertionError(
                    "host "
                        + node.host()
                        + " did not answer for every swarm within "
                        + RESUME_BOUND_SECONDS
                        + " s of the cut: "
                        + e.getMessage());
              }
              sleep(250);
            }
          }
        },
        clients);
  }

  /**
   * New peers on both sides, for the old swarms and for new ones; side A's go round hosts 1 and 2.
   * Side B's answers match one of two models: host 3 held the swarm's copy from before the split
   * (its partition's owner or backup) or it did not. Answers the announces made to each side.
   */
  private int[] announceWhileApart(
      ExpectedSwarms sideA, ExpectedSwarms bWithCopy, ExpectedSwarms bWithout) throws Exception {
    AtomicInteger toA = new AtomicInteger();
    AtomicInteger toB = new AtomicInteger();
    List<Callable<Void>> work = new ArrayList<>();
    for (int j = 0; j < SWARMS; j++) {
      int swarm = j;
      HostedNode a = node(1 + j % 2);
      work.add(
          () -> {
            for (Step step : stepsWhileApart(swarm)) {
              if (step.sideA) {
                announce(a, sideA, swarm, step.peer, step.seeder, step.completed);
                toA.incrementAndGet();
              } else {
                announceToB(swarm, step, bWithCopy, bWithout);
                toB.incrementAndGet();
              }
            }
            return null;
          });
    }
    runAll(work);
    return new int[] {toA.get(), toB.get()};
  }

  private record Step(boolean sideA, Peer peer, boolean seeder, boolean completed) {}

  /**
   * The announces of one swarm while apart, alternating sides. Completions differ per swarm so that
   * either side may end with more (A: 0-2 new, B: 0-3 new, one a peer from before the split that
   * finishes on side B).
   */
  private static List<Step> stepsWhileApart(int j) {
    List<Step> steps = new ArrayList<>();
    boolean old = j < OLD;
    boolean onA = j < OLD + BOTH_NEW + A_NEW;
    boolean onB = j < OLD + BOTH_NEW || j >= OLD + BOTH_NEW + A_NEW;
    int aCompleted = old ? j % 3 : 1;
    int bCompleted = old ? Math.min(2, j % 4) : onA ? 2 : 1;
    for (int k = 1; k <= 3; k++) {
      boolean aDone = k > 1 && k - 1 <= aCompleted;
      boolean bDone = k > 1 && k - 1 <= bCompleted;
      if (onA && (old || k <= 2)) {
        steps.add(new Step(true, peer(51, k, j), aDone, aDone));
      }
      if (onB && (old || k <= bCompleted + 1)) {
        steps.add(new Step(false, peer(52, k, j), bDone, bDone));
      }
    }
    if (old && j % 4 == 3) {
      steps.add(new Step(false, peer(50, 3, j), true, true)); // a leecher before, done on side B
    }
    return steps;
  }

  private void announceToB(int swarm, Step step, ExpectedSwarms bWithCopy, ExpectedSwarms bWithout)
      throws IOException {
    TrackerClient.Answer answer = send(node(CUT), swarm, step.peer, step.seeder, step.completed);
    bWithCopy.announce(swarm, step.peer, step.seeder, step.completed);
    bWithout.announce(swarm, step.peer, step.seeder, step.completed);
    TrackerClient.Answer withCopy = answerOf(bWithCopy, swarm, step.peer);
    TrackerClient.Answer without = answerOf(bWithout, swarm, step.peer);
    if (!answer.equals(withCopy) && !answer.equals(without)) {
      fail(
          "side B answered the announce of %s to swarm %d with %s; expected %s (host 3 held the"
              + " swarm's copy) or %s (it did not)",
          step.peer, swarm, answer, withCopy, without);
    }
  }

  /**
   * Scrapes both sides just before the heal: hosts 1 and 2 exactly as side A's model, host 3 as one
   * of its two. Fills {@code sideB} with what host 3 holds; answers how many old swarms it held a
   * copy of.
   */
  private int checkSides(
      ExpectedSwarms sideA, ExpectedSwarms bWithCopy, ExpectedSwarms bWithout, ExpectedSwarms sideB)
      throws IOException {
    for (int host = 1; host <= FLEET; host++) {
      if (host == CUT) {
        continue;
      }
      Map<InfoHash, SwarmCounts> counts = tracker.scrape(node(host).tracker(), hashes);
      for (int j = 0; j < SWARMS; j++) {
        assertThat(counts.get(hashes.get(j)))
            .as("scrape of swarm %d on host %d (side A) while apart", j, host)
            .isEqualTo(sideA.counts(j));
      }
    }
    Map<InfoHash, SwarmCounts> counts = tracker.scrape(node(CUT).tracker(), hashes);
    int held = 0;
    for (int j = 0; j < SWARMS; j++) {
      SwarmCounts c = counts.get(hashes.get(j));
      if (c.equals(bWithCopy.counts(j))) {
        sideB.takeFrom(bWithCopy, j);
        held += j < OLD ? 1 : 0;
      } else if (c.equals(bWithout.counts(j))) {
        sideB.takeFrom(bWithout, j);
      } else {
        fail(
            "scrape of swarm %d on host 3 (side B) while apart: %s; expected %s (a copy held) or %s",
            j, c, bWithCopy.counts(j), bWithout.counts(j));
      }
    }
    return held;
  }

  /**
   * Polls every node's scrape until all agree with the merge (Hazelcast merges entries after the
   * member rejoined); answers the time from the heal. Fails with the differences at the deadline.
   */
  private double awaitMergedCounts(ExpectedSwarms merged, long heal) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<String> wrong = new ArrayList<>();
      for (HostedNode node : nodes) {
        Map<InfoHash, SwarmCounts> counts = tracker.scrape(node.tracker(), hashes);
        for (int j = 0; j < SWARMS; j++) {
          SwarmCounts c = counts.get(hashes.get(j));
          if (!merged.counts(j).equals(c)) {
            wrong.add(
                String.format(
                    Locale.ROOT,
                    "host %d swarm %d: %s, expected %s",
                    node.host(),
                    j,
                    c,
                    merged.counts(j)));
          }
        }
      }
      if (wrong.isEmpty()) {
        return elapsed(heal);
      }
      if (System.nanoTime() > deadline) {
        fail(
            "%d swarm counts differ from the merge of both sides 30 s after the members rejoined,"
                + " e.g. %s",
            wrong.size(), wrong.subList(0, Math.min(10, wrong.size())));
      }
      sleep(500);
    }
  }

  /**
   * On every node, a new leecher announces to every swarm and must be answered every peer of both
   * sides (and the probes before it). Answers the peers checked per node.
   */
  private int checkEveryPeer(ExpectedSwarms merged) throws Exception {
    int union = 0;
    for (int j = 0; j < SWARMS; j++) {
      union += merged.peers(j).size();
    }
    for (HostedNode node : nodes) {
      List<Callable<Void>> work = new ArrayList<>();
      for (int j = 0; j < SWARMS; j++) {
        int swarm = j;
        work.add(
            () -> {
              announce(node, merged, swarm, peer(53, node.host(), swarm), false, false);
              return null;
            });
      }
      runAll(work);
    }
    return union;
  }

  private record Comparison(int aLarger, int bLarger, int equal) {}

  private static Comparison compareCompleted(ExpectedSwarms a, ExpectedSwarms b) {
    int aLarger = 0;
    int bLarger = 0;
    int equal = 0;
    for (int j = 0; j < SWARMS; j++) {
      int diff = Integer.compare(a.counts(j).completed(), b.counts(j).completed());
      aLarger += diff > 0 ? 1 : 0;
      bLarger += diff < 0 ? 1 : 0;
      equal += diff == 0 ? 1 : 0;
    }
    return new Comparison(aLarger, bLarger, equal);
  }

  private static HostedNode node(int host) {
    return nodes.get(host - 1);
  }

  /**
   * Peer {@code k} of a swarm: its origin in the address (10.50 before the split, 10.51 side A,
   * 10.52 side B, 10.53 probes), its swarm in the port.
   */
  private static Peer peer(int origin, int k, int swarm) {
    return new Peer("10." + origin + ".0." + k, 20_000 + swarm);
  }

  private static InfoHash hash(int swarm) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest(("netsplit swarm " + swarm).getBytes(StandardCharsets.UTF_8));
      return InfoHash.fromBytes(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void runAll(List<Callable<Void>> work) throws Exception {
    List<Future<Void>> futures = clients.invokeAll(work);
    for (Future<Void> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception cause) {
          throw cause;
        }
        throw (Error) e.getCause();
      }
    }
  }

  /** Polls until the condition holds; answers the seconds it took, fails at the deadline. */
  private static double await(String what, int seconds, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      for (HostedNode node : nodes) {
        if (!node.isAlive()) {
          fail("host %d's node died while waiting for %s", node.host(), what);
        }
      }
      if (System.nanoTime() > deadline) {
        StringBuilder views = new StringBuilder();
        for (HostedNode node : nodes) {
          views.append("\nhost ").append(node.host()).append(": ready=").append(node.isReady());
          views.append(" /fleet=").append(node.fleet());
        }
        fail("no %s within %d s;%s", what, seconds, views);
      }
      sleep(250);
    }
    return elapsed(start);
  }

  private static double elapsed(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void report(String format, Object... args) {
    System.out.println("FLEET-REPORT " + String.format(Locale.ROOT, format, args));
  }
}
