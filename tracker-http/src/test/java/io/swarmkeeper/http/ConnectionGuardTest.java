package io.swarmkeeper.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.http.HttpTrackerCounters.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConnectionGuardTest {
  private static final byte[] A = {(byte) 203, 0, 113, 9};
  private static final byte[] B = {(byte) 203, 0, 113, 10};

  private final AtomicReference<ConnectionGuard> guard = new AtomicReference<>();
  private final HttpTrackerCounters counters = new HttpTrackerCounters(() -> guard.get().open());

  private ConnectionGuard guard(int total, int perAddress, String... uncapped) {
    guard.set(
        new ConnectionGuard(total, perAddress, AddressMatcher.of(List.of(uncapped)), counters));
    return guard.get();
  }

  @Test
  void theEffectiveCapLeavesDescriptorsForTheRestOfTheProcess() {
    assertThat(ConnectionGuard.effectiveCap(10_000, 1_048_576)).isEqualTo(10_000);
    assertThat(ConnectionGuard.effectiveCap(10_000, 20_000)).isEqualTo(10_000);
    assertThat(ConnectionGuard.effectiveCap(10_000, 10_000)).isEqualTo(10_000 - 1024);
    assertThat(ConnectionGuard.effectiveCap(10_000, 1024)).isEqualTo(768);
    assertThat(ConnectionGuard.effectiveCap(10_000, 2)).isEqualTo(2);
    assertThat(ConnectionGuard.effectiveCap(10_000, 1)).isEqualTo(1);
    assertThat(ConnectionGuard.effectiveCap(10_000, -1)).isEqualTo(10_000); // limit unknown
  }

  @Test
  void thisProcessHasAnOpenFileLimitAndTheCapStaysBelowIt() {
    long limit = ConnectionGuard.openFileLimit();
    assertThat(limit).isPositive(); // Linux: UnixOperatingSystemMXBean is there
    assertThat(ConnectionGuard.effectiveCap(Integer.MAX_VALUE, limit)).isLessThan((int) limit);
  }

  @Test
  void capsPerAddressAndInTotal() {
    ConnectionGuard g = guard(3, 2);
    ConnectionGuard.Source a1 = g.admit(A);
    ConnectionGuard.Source a2 = g.admit(A);
    assertThat(a1).isNotNull().isEqualTo(a2);
    assertThat(g.admit(A)).isNull();
    assertThat(counters.get(Counter.CONNECTIONS_OVER_ADDRESS_CAP)).isEqualTo(1);
    assertThat(g.admit(B)).isNotNull();
    assertThat(g.admit(B)).isNull();
    assertThat(counters.get(Counter.CONNECTIONS_OVER_TOTAL_CAP)).isEqualTo(1);
    assertThat(counters.openConnections()).isEqualTo(3);
    g.release(a1);
    assertThat(g.admit(A)).isNotNull();
    assertThat(g.trackedSources()).isEqualTo(2);
  }

  @Test
  void ipv6IsCountedPerSlash64AndMappedAddressesAsIpv4() {
    ConnectionGuard g = guard(100, 1);
    byte[] host1 = new byte[16];
    host1[0] = 0x20;
    host1[1] = 0x01;
    host1[15] = 1;
    byte[] host2 = host1.clone();
    host2[15] = 2; // same /64
    byte[] otherNet = host1.clone();
    otherNet[7] = 1; // another /64
    assertThat(g.admit(host1)).isNotNull();
    assertThat(g.admit(host2)).isNull();
    assertThat(g.admit(otherNet)).isNotNull();
    byte[] mappedA = new byte[16];
    mappedA[10] = (byte) 0xFF;
    mappedA[11] = (byte) 0xFF;
    System.arraycopy(A, 0, mappedA, 12, 4);
    assertThat(g.admit(A)).isNotNull();
    assertThat(g.admit(mappedA)).isNull();
  }

  @Test
  void uncappedAddressesAndZeroHaveNoPerAddressCap() {
    ConnectionGuard g = guard(100, 1, "203.0.113.9");
    for (int i = 0; i < 10; i++) {
      assertThat(g.admit(A)).isNotNull();
    }
    assertThat(g.trackedSources()).isZero();
    ConnectionGuard none = guard(100, 0);
    for (int i = 0; i < 10; i++) {
      assertThat(none.admit(B)).isNotNull();
    }
  }

  @Test
  void countsStayExactWhenManyThreadsAdmitAndReleaseAtOnce() throws Exception {
    ConnectionGuard g = guard(50, 20);
    int threads = 8;
    AtomicInteger overCap = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      byte[] address = {10, 0, 0, (byte) (t % 3)};
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < 20_000; i++) {
                  ConnectionGuard.Source s = g.admit(address);
                  if (g.open() > 50) {
                    overCap.incrementAndGet();
                  }
                  if (s != null) {
                    g.release(s);
                  }
                }
              });
      thread.start();
      all.add(thread);
    }
    go.countDown();
    for (Thread t : all) {
      t.join();
    }
    assertThat(overCap).hasValue(0);
    assertThat(g.open()).isZero();
    assertThat(g.trackedSources()).isZero();
  }
}
