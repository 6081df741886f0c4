package io.swarmkeeper.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmkeeper.swarm.FakeTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SafetyCheckTest {
  private final FakeTicker ticker = new FakeTicker();
  private final AtomicBoolean answer = new AtomicBoolean(true);

  /**
   * Runs a look at once, or holds it (a look Hazelcast has not answered) until the test runs it.
   */
  private final List<Runnable> held = new ArrayList<>();

  private boolean hold;
  private boolean refuse;
  private final Executor executor =
      r -> {
        if (refuse) {
          throw new RejectedExecutionException("busy");
        }
        if (hold) {
          held.add(r);
        } else {
          r.run();
        }
      };

  private final SafetyCheck check = new SafetyCheck(answer::get, 3000, ticker, executor);

  @Test
  void unsafeUntilTheFirstLookAnswers() {
    assertThat(check.isSafe()).isFalse();
    check.tick();
    assertThat(check.isSafe()).isTrue();
    answer.set(false);
    check.tick();
    assertThat(check.isSafe()).isFalse();
  }

  @Test
  void aLookPastTheBoundIsUnsafeAndLeftBehindForANewOne() {
    check.tick();
    hold = true;
    check.tick();
    ticker.advanceSeconds(2);
    check.tick();
    assertThat(held).as("one look under way at a time").hasSize(1);
    assertThat(check.isSafe()).as("within the bound: the last answer").isTrue();

    ticker.advanceSeconds(1);
    assertThat(check.isSafe()).as("the look is overdue").isFalse();
    check.tick();
    assertThat(held).as("a new look started").hasSize(2);

    held.get(0).run(); // the look left behind answers at last: too old to count
    assertThat(check.isSafe()).isFalse();
    held.get(1).run();
    assertThat(check.isSafe()).isTrue();
  }

  @Test
  void aLookThatFailsIsUnsafe() {
    SafetyCheck failing =
        new SafetyCheck(
            () -> {
              throw new IllegalStateException("member left");
            },
            3000,
            ticker,
            executor);
    failing.tick();
    assertThat(failing.isSafe()).isFalse();
  }

  @Test
  void aRefusedLookIsRetriedOnceOverdue() {
    check.tick();
    refuse = true;
    check.tick();
    assertThat(check.isSafe()).isTrue();
    ticker.advanceSeconds(3);
    check.tick();
    assertThat(check.isSafe()).isFalse();

    refuse = false;
    check.tick();
    assertThat(check.isSafe()).as("within the bound of the refused look: no new one").isFalse();
    ticker.advanceSeconds(3);
    check.tick();
    assertThat(check.isSafe()).isTrue();
  }

  @Test
  void refusesABoundThatIsNotPositive() {
    assertThatThrownBy(() -> new SafetyCheck(answer::get, 0, ticker, executor))
        .hasMessageContaining("boundMillis must be > 0, got 0");
  }
}
