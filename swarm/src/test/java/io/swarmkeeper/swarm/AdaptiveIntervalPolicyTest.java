package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The interval policy against a simulated population of clients that obey the interval they are
 * given, on a fake clock: the loop closes, settles at capacity, and does not oscillate.
 */
class AdaptiveIntervalPolicyTest {
  private final FakeTicker clock = new FakeTicker();
  private final AtomicLong served = new AtomicLong();

  private AdaptiveIntervalPolicy policy(IntervalOptions options, int capacity) {
    return new AdaptiveIntervalPolicy(options, capacity, 60, served::get, clock);
  }

  /**
   * {@code clients} clients, first spread evenly over one minimum interval, each announcing again
   * after the interval it was given; one tick a simulated second. Answers the offered rate and the
   * interval and the peer timeout at each second.
   */
  private int[][] simulate(AdaptiveIntervalPolicy p, int clients, int minSeconds, int seconds) {
    int horizon = seconds + IntervalOptions.MAX_SECONDS * 2;
    int[] due = new int[horizon];
    for (int c = 0; c < clients; c++) {
      due[c % minSeconds]++;
    }
    int[][] out = new int[seconds][3];
    p.tick();
    for (int t = 0; t < seconds; t++) {
      int n = due[t];
      for (int i = 0; i < n; i++) {
        due[t + p.intervalSeconds()]++;
      }
      served.addAndGet(n);
      clock.advanceSeconds(1);
      p.tick();
      out[t][0] = n;
      out[t][1] = p.currentSeconds();
      out[t][2] = p.peerTimeoutSeconds();
    }
    return out;
  }

  private static double meanRate(int[][] run, int from, int to) {
    double sum = 0;
    for (int t = from; t < to; t++) {
      sum += run[t][0];
    }
    return sum / (to - from);
  }

  @Test
  void threeTimesCapacityIsBroughtBackToCapacityAndSettles() {
    IntervalOptions o =
        new IntervalOptions().setMinSeconds(20).setMaxSeconds(600).setSmoothingSeconds(5);
    AdaptiveIntervalPolicy p = policy(o, 1000);
    int[][] run = simulate(p, 60_000, 20, 900); // 3,000 requests/s at the minimum interval

    assertThat(meanRate(run, 0, 10)).isGreaterThan(2500);
    // After a few intervals the clients offer about the capacity...
    assertThat(meanRate(run, 400, 900)).isBetween(850.0, 1100.0);
    // ...at about the interval that gives it (60 s), and the interval holds still.
    int low = Integer.MAX_VALUE;
    int high = 0;
    for (int t = 400; t < 900; t++) {
      low = Math.min(low, run[t][1]);
      high = Math.max(high, run[t][1]);
    }
    assertThat(low).isGreaterThanOrEqualTo(55);
    assertThat(high).isLessThanOrEqualTo(75);
    assertThat(high - low).as("no oscillation once settled").isLessThanOrEqualTo(6);
    assertThat(p.load()).isBetween(0.85, 1.1);
  }

  @Test
  void whenTheLoadGoesTheIntervalComesBackSlowlyToTheMinimum() {
    IntervalOptions o =
        new IntervalOptions().setMinSeconds(20).setMaxSeconds(600).setSmoothingSeconds(5);
    AdaptiveIntervalPolicy p = policy(o, 1000);
    simulate(p, 60_000, 20, 300);
    int raised = p.currentSeconds();
    assertThat(raised).isGreaterThan(40);
    // Nine clients in ten leave: the rest offer a tenth of the capacity.
    int[][] after = simulate(p, 6_000, 20, 600);
    assertThat(after[0][1]).as("not at once").isGreaterThan(raised / 2);
    assertThat(after[599][1]).isEqualTo(20);
    for (int t = 1; t < 600; t++) {
      assertThat(after[t][1]).as("never up again").isLessThanOrEqualTo(after[t - 1][1]);
    }
  }

  @Test
  void underCapacityTheIntervalStaysAtTheMinimumAndTheMaximumIsNeverPassed() {
    IntervalOptions o = new IntervalOptions().setMinSeconds(20).setMaxSeconds(40);
    AdaptiveIntervalPolicy calm = policy(o, 1000);
    int[][] run = simulate(calm, 10_000, 20, 200); // 500/s
    assertThat(java.util.Arrays.stream(run).mapToInt(s -> s[1])).containsOnly(20);

    served.set(0);
    AdaptiveIntervalPolicy flooded = policy(o, 100);
    int[][] flood = simulate(flooded, 100_000, 20, 200);
    assertThat(java.util.Arrays.stream(flood).mapToInt(s -> s[1]).max().getAsInt()).isEqualTo(40);
    assertThat(flooded.currentSeconds()).isEqualTo(40);
  }

  @Test
  void jitterOnlyLengthensAndPeersAreKeptForTheLongestIntervalHandedOut() {
    IntervalOptions o =
        new IntervalOptions().setMinSeconds(100).setMaxSeconds(1000).setJitterPercent(10);
    AdaptiveIntervalPolicy p = policy(o, 10);
    for (int i = 0; i < 1000; i++) {
      assertThat(p.intervalSeconds()).isBetween(100, 110);
    }
    assertThat(p.peerTimeoutSeconds()).isEqualTo(110 + 60);
    int[][] loaded = simulate(p, 20_000, 100, 600); // 200/s against 10: up to the maximum
    int raised = java.util.Arrays.stream(loaded).mapToInt(r -> r[1]).max().getAsInt();
    assertThat(raised).isGreaterThan(300);
    int longest = raised + raised / 10;
    assertThat(p.peerTimeoutSeconds()).isEqualTo(longest + 60);
    // The load goes and the interval falls, but peers stay as long as the longest interval given
    // may still be running; then the timeout follows the interval down.
    int[][] calm = simulate(p, 0, 100, 3000);
    assertThat(calm[longest / 2][1]).isLessThan(raised);
    assertThat(calm[longest / 2][2]).isEqualTo(longest + 60);
    assertThat(calm[2999][1]).isEqualTo(100);
    assertThat(calm[2999][2]).isLessThan(longest + 60);
  }

  @Test
  void aFixedPolicyMeasuresButNeverMoves() {
    IntervalOptions o = new IntervalOptions().setAdaptive(false).setMinSeconds(30);
    AdaptiveIntervalPolicy p = policy(o, 10);
    simulate(p, 100_000, 30, 60);
    assertThat(p.currentSeconds()).isEqualTo(30);
    assertThat(p.load()).isGreaterThan(10);
  }

  @Test
  void aMaximumBelowTheMinimumIsRefusedNamingBoth() {
    assertThatThrownBy(
            () -> policy(new IntervalOptions().setMinSeconds(600).setMaxSeconds(300), 10))
        .hasMessageContaining("interval.max-seconds (300)")
        .hasMessageContaining("interval.min-seconds (600)");
  }

  @Test
  void theExplanationSaysWhyTheIntervalIsWhatItIs() {
    IntervalOptions o =
        new IntervalOptions().setMinSeconds(20).setMaxSeconds(600).setSmoothingSeconds(5);
    AdaptiveIntervalPolicy quiet = policy(o, 100);
    simulate(quiet, 100, 20, 300); // 5 requests/s against 100: at the shortest
    assertThat(quiet.currentSeconds()).isEqualTo(20);
    assertThat(quiet.explanation())
        .startsWith("at its shortest, 20 s:")
        .contains("capacity of 100");

    AdaptiveIntervalPolicy busy = policy(o, 100);
    simulate(busy, 1_000_000, 20, 3000); // far past what 600 s can bring to capacity
    assertThat(busy.currentSeconds()).isEqualTo(600);
    assertThat(busy.explanation()).startsWith("at its longest, 600 s").contains("add nodes");

    AdaptiveIntervalPolicy settled = policy(o, 100);
    simulate(settled, 6000, 20, 3000); // 6000 clients at 100/s: about 60 s
    assertThat(settled.explanation()).startsWith("holding at " + settled.currentSeconds() + " s");

    AdaptiveIntervalPolicy fixed = policy(new IntervalOptions(o).setAdaptive(false), 100);
    assertThat(fixed.explanation()).startsWith("fixed at ");
  }
}
