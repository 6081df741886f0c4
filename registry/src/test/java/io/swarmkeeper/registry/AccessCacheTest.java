package io.swarmkeeper.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AccessCacheTest {

  @Test
  void answersWhatWasFoundAndNotFoundUntilToldOtherwise() {
    AccessCache<String> cache = new AccessCache<>(10, Duration.ofMinutes(5));
    assertThat(cache.validUntil("a")).isEqualTo(AccessCache.UNKNOWN);
    cache.put("a", Long.MAX_VALUE);
    cache.put("gone", System.currentTimeMillis() - 1);
    cache.put("b", AccessCache.NOT_FOUND);
    assertThat(cache.validNow("a")).isTrue();
    assertThat(cache.validNow("gone")).as("past its validity").isFalse();
    assertThat(cache.validUntil("gone")).isLessThan(System.currentTimeMillis());
    assertThat(cache.validNow("b")).isFalse();
    assertThat(cache.validUntil("b")).isEqualTo(AccessCache.NOT_FOUND);
    assertThat(cache.validNow(null)).isFalse();
    cache.invalidate("a");
    assertThat(cache.validUntil("a")).isEqualTo(AccessCache.UNKNOWN);
    cache.put("b", 5L); // found after all (published, issued)
    assertThat(cache.validUntil("b")).isEqualTo(5L);
    cache.invalidateAll();
    assertThat(cache.validUntil("b")).isEqualTo(AccessCache.UNKNOWN);
  }

  @Test
  void anAnswerOlderThanTheExpiryIsLookedUpAgain() throws Exception {
    AccessCache<String> cache = new AccessCache<>(10, Duration.ofMillis(50));
    cache.put("a", Long.MAX_VALUE);
    assertThat(cache.validNow("a")).isTrue();
    Thread.sleep(80);
    assertThat(cache.validNow("a")).isFalse();
    assertThat(cache.validUntil("a")).isEqualTo(AccessCache.UNKNOWN);
  }

  @Test
  void pastItsSizeWhatIsFoundIsNotKept() {
    AccessCache<String> cache = new AccessCache<>(2, Duration.ofMinutes(5));
    cache.put("a", Long.MAX_VALUE);
    cache.put("b", Long.MAX_VALUE);
    cache.put("c", Long.MAX_VALUE);
    assertThat(cache.validNow("a") && cache.validNow("b")).isTrue();
    assertThat(cache.validUntil("c")).isEqualTo(AccessCache.UNKNOWN);
    cache.put("a", 7L); // one held is updated still
    assertThat(cache.validUntil("a")).isEqualTo(7L);
  }
}
