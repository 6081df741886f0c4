package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Token buckets per address on a fake clock. */
class RateLimiterTest {
  private final FakeTicker clock = new FakeTicker();

  private RateLimiter limiter(int perSecond, int burst, int maxAddresses) {
    return new RateLimiter(
        new RateLimitOptions()
            .setRequestsPerSecond(perSecond)
            .setBurst(burst)
            .setMaxAddresses(maxAddresses)
            .setExemptLoopback(true),
        clock);
  }

  private static int taken(RateLimiter l, PeerEndpoint p, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      n += l.tryAcquire(p) ? 1 : 0;
    }
    return n;
  }

  @Test
  void anAddressGetsItsBurstThenItsRateAndNoMore() {
    RateLimiter l = limiter(10, 50, 1000);
    PeerEndpoint a = PeerEndpoint.ipv4(0x0A000001, 6881);
    assertThat(taken(l, a, 1000)).isEqualTo(50);
    clock.advanceSeconds(3);
    assertThat(taken(l, a, 1000)).isEqualTo(30);
    clock.advanceSeconds(3600);
    assertThat(taken(l, a, 1000)).as("refilled to the burst, not past it").isEqualTo(50);
  }

  @Test
  void addressesAreLimitedApartAndAnIpv6Slash64IsOneAddress() {
    RateLimiter l = limiter(1, 5, 1000);
    assertThat(taken(l, PeerEndpoint.ipv4(0x0A000001, 1), 100)).isEqualTo(5);
    assertThat(taken(l, PeerEndpoint.ipv4(0x0A000001, 2), 100)).as("other port").isZero();
    assertThat(taken(l, PeerEndpoint.ipv4(0x0A000002, 1), 100)).isEqualTo(5);
    long net = 0x2001_0db8_0000_0001L;
    assertThat(taken(l, PeerEndpoint.ipv6(net, 1, 1), 3)).isEqualTo(3);
    assertThat(taken(l, PeerEndpoint.ipv6(net, 0xFFFF, 1), 100)).as("same /64").isEqualTo(2);
    assertThat(taken(l, PeerEndpoint.ipv6(net + 1, 1, 1), 100)).isEqualTo(5);
  }

  @Test
  void loopbackIsExemptUnlessToldOtherwiseAndOffLetsAllThrough() {
    RateLimiter l = limiter(1, 1, 1000);
    assertThat(taken(l, PeerEndpoint.ipv4(0x7F000001, 1), 100)).isEqualTo(100);
    assertThat(taken(l, PeerEndpoint.ipv6(0, 1, 1), 100)).isEqualTo(100);
    RateLimiter strict =
        new RateLimiter(
            new RateLimitOptions().setRequestsPerSecond(1).setBurst(1).setExemptLoopback(false),
            clock);
    assertThat(taken(strict, PeerEndpoint.ipv4(0x7F000001, 1), 100)).isEqualTo(1);
    assertThat(taken(RateLimiter.off(), PeerEndpoint.ipv4(0x0A000001, 1), 100)).isEqualTo(100);
  }

  @Test
  void memoryIsBoundedWhateverTheNumberOfSources() {
    RateLimiter l = limiter(1, 1, 1000);
    for (int i = 0; i < 100_000; i++) {
      l.tryAcquire(PeerEndpoint.ipv4(0x0B000000 + i, 1));
    }
    l.buckets().cleanUp();
    assertThat(l.trackedAddresses()).isLessThanOrEqualTo(1000);
  }
}
