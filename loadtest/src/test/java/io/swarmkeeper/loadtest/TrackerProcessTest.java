package io.swarmkeeper.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrackerProcessTest {
  @Test
  void readsUserAndSystemTicksAfterACommandNameWithSpacesAndParentheses() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    String stat =
        "4242 (a) b (c) S 1 4242 4242 0 -1 4194560 2000 0 3 0 1234 567 8 9 20 0 31 0 77 0\n";
    assertThat(TrackerProcess.cpuTicks(stat)).isEqualTo(1234 + 567);
  }

  @Test
  void countsThisProcessesCpuAsItRuns() throws Exception {
    Path self = Path.of("/proc/self/stat");
    long before = TrackerProcess.cpuTicks(Files.readString(self));
    long spin = 0;
    long deadline = System.nanoTime() + 5_000_000_000L;
    long now = before;
    while (now == before && System.nanoTime() < deadline) {
      for (int i = 0; i < 1_000_000; i++) {
        spin += i ^ spin;
      }
      now = TrackerProcess.cpuTicks(Files.readString(self));
    }
    assertThat(now).as("spin %d", spin).isGreaterThan(before);
    assertThat(TrackerProcess.TICKS_PER_SECOND).isPositive();
  }
}
