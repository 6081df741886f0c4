package io.swarmkeeper.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmkeeper.swarm.PeerEndpoint;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionIdsTest {
  private static final byte[] KEY = ConnectionIds.keyFromHex("000102030405060708090a0b0c0d0e0f");
  private static final byte[] KEY2 = ConnectionIds.keyFromHex("101112131415161718191a1b1c1d1e1f");
  private static final byte[] KEY3 = ConnectionIds.keyFromHex("202122232425262728292a2b2c2d2e2f");
  private static final PeerEndpoint CLIENT = PeerEndpoint.ipv4(0x7F000001, 5000);

  /** A clock the test moves by hand. */
  static final class MutableClock implements InstantSource {
    long millis = 1_700_000_000_000L;

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
      return millis;
    }
  }

  private final MutableClock clock = new MutableClock();
  private final ConnectionIds ids = new ConnectionIds(KEY, clock, 120);

  @Test
  void acceptsItsOwnIdFromTheSameAddressForTheLifetime() {
    long id = ids.issue(CLIENT);
    assertThat(ids.verify(id, CLIENT)).isTrue();
    assertThat(ids.verify(id, CLIENT.withPort(6000))).isTrue(); // the address counts, not the port
    clock.millis += 120_000;
    assertThat(ids.verify(id, CLIENT)).isTrue();
    clock.millis += 1_000;
    assertThat(ids.verify(id, CLIENT)).isFalse();
  }

  @Test
  void rejectsAnotherAddress() {
    long id = ids.issue(CLIENT);
    assertThat(ids.verify(id, PeerEndpoint.ipv4(0x7F000002, 5000))).isFalse();
    assertThat(ids.verify(id, PeerEndpoint.ipv6(0, 0x7F000001L, 5000))).isFalse();
  }

  @Test
  void rejectsIdsFromTheFuture() {
    clock.millis += 60_000;
    long id = ids.issue(CLIENT);
    clock.millis -= 60_000;
    assertThat(ids.verify(id, CLIENT)).isFalse();
  }

  @Test
  void rejectsATamperedTimeOrAnotherKey() {
    long id = ids.issue(CLIENT);
    long otherTime = id + (1L << 32);
    clock.millis += 1000;
    assertThat(ids.verify(otherTime, CLIENT)).isFalse();
    ConnectionIds other = new ConnectionIds(ConnectionIds.keyFromHex(null), clock, 120);
    assertThat(other.verify(id, CLIENT)).isFalse();
  }

  @Test
  void randomIdsAreRejected() {
    Random random = new Random(7);
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      long guess = ((clock.millis / 1000) << 32) | (random.nextInt() & 0xFFFFFFFFL);
      if (ids.verify(guess, CLIENT)) {
        accepted++;
      }
    }
    assertThat(accepted).isZero();
  }

  @Test
  void ipv6Clients() {
    PeerEndpoint six = PeerEndpoint.ipv6(0x20010db800000000L, 1, 1);
    long id = ids.issue(six);
    assertThat(ids.verify(id, six)).isTrue();
    assertThat(ids.verify(id, PeerEndpoint.ipv6(0x20010db800000000L, 2, 1))).isFalse();
  }

  @Test
  void validatesItsArguments() {
    assertThatThrownBy(() -> ConnectionIds.keyFromHex("abcd"))
        .hasMessageContaining("32 hex digits");
    assertThatThrownBy(() -> new ConnectionIds(new byte[3], clock, 120))
        .hasMessageContaining("16 bytes");
    assertThatThrownBy(() -> new ConnectionIds(KEY, clock, 0))
        .hasMessageContaining("lifetimeSeconds");
    assertThatThrownBy(() -> ids.rotate(new byte[17])).hasMessageContaining("got 17");
    assertThat(ids.key()).isEqualTo(KEY); // a refused key leaves the one in use
  }

  @Test
  void anIdIssuedBeforeARotationVerifiesUntilItsOwnLifetimeEnds() {
    long id = ids.issue(CLIENT);
    clock.millis += 60_000;
    ids.rotate(KEY2);
    assertThat(ids.verify(id, CLIENT)).isTrue();
    clock.millis += 60_000;
    assertThat(ids.verify(id, CLIENT)).isTrue();
    clock.millis += 1_000;
    assertThat(ids.verify(id, CLIENT)).isFalse();
  }

  @Test
  void idsIssuedAfterARotationUseTheNewKeyOnly() {
    ids.rotate(KEY2);
    long id = ids.issue(CLIENT);
    assertThat(ids.verify(id, CLIENT)).isTrue();
    assertThat(new ConnectionIds(KEY2, clock, 120).verify(id, CLIENT)).isTrue();
    assertThat(new ConnectionIds(KEY, clock, 120).verify(id, CLIENT)).isFalse();
    clock.millis += 500_000; // long past the old key's window
    long later = ids.issue(CLIENT);
    assertThat(ids.verify(later, CLIENT)).isTrue();
    assertThat(ids.verify(later, PeerEndpoint.ipv4(0x7F000002, 5000))).isFalse();
  }

  @Test
  void theOldKeyIsAcceptedForOneLifetimeAfterTheRotationAndNoLonger() {
    // A fleet member that has not heard of the new key yet goes on issuing under the old one.
    ConnectionIds lagging = new ConnectionIds(KEY, clock, 120);
    ids.rotate(KEY2);
    clock.millis += 100_000;
    long late = lagging.issue(CLIENT);
    assertThat(ids.verify(late, CLIENT)).isTrue();
    clock.millis += 20_000; // 120 s since the rotation
    assertThat(ids.verify(late, CLIENT)).isTrue();
    clock.millis += 1_000;
    // Only 21 s old, but the old key's window has closed.
    assertThat(lagging.verify(late, CLIENT)).isTrue();
    assertThat(ids.verify(late, CLIENT)).isFalse();
    assertThat(ids.verify(lagging.issue(CLIENT), CLIENT)).isFalse();
  }

  @Test
  void aSecondRotationDropsTheOldestKey() {
    long first = ids.issue(CLIENT);
    ids.rotate(KEY2);
    long second = ids.issue(CLIENT);
    clock.millis += 10_000;
    ids.rotate(KEY3);
    assertThat(ids.verify(first, CLIENT)).isFalse();
    assertThat(ids.verify(second, CLIENT)).isTrue();
    assertThat(ids.verify(ids.issue(CLIENT), CLIENT)).isTrue();
    assertThat(ids.key()).isEqualTo(KEY3);
  }

  @Test
  void rotatingBackToTheOldKeyKeepsTheOtherForItsWindow() {
    ids.rotate(KEY2);
    long underKey2 = ids.issue(CLIENT);
    ids.rotate(KEY); // a partition heals and the other side's key wins
    assertThat(ids.verify(underKey2, CLIENT)).isTrue();
    assertThat(ids.key()).isEqualTo(KEY);
  }

  @Test
  void rotatingToTheKeyInUseChangesNothing() {
    ConnectionIds lagging = new ConnectionIds(KEY, clock, 120);
    ids.rotate(KEY);
    ids.rotate(KEY2);
    clock.millis += 100_000;
    ids.rotate(KEY2); // must neither drop KEY nor restart its window
    long late = lagging.issue(CLIENT);
    assertThat(ids.verify(late, CLIENT)).isTrue();
    clock.millis += 21_000;
    assertThat(ids.verify(late, CLIENT)).isFalse();
  }

  @Test
  void keyIsACopy() {
    byte[] key = ids.key();
    assertThat(key).isEqualTo(KEY);
    key[0] ^= 1;
    assertThat(ids.key()).isEqualTo(KEY);
    long id = ids.issue(CLIENT);
    ids.rotate(KEY.clone()); // an equal key in another array is the same key
    clock.millis += 500_000;
    assertThat(ids.verify(ids.issue(CLIENT), CLIENT)).isTrue();
    assertThat(ids.verify(id, CLIENT)).isFalse(); // past its lifetime, whatever the key
  }

  /**
   * Rotations racing issue and verify on other threads: with the clock still, the two keys in play
   * are always the current and the previous one, so every id verifies the moment it is issued. A
   * state torn between two keys would fail one.
   */
  @Test
  void rotationsRacingTheHotPathNeverRejectAFreshId() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger checked = new AtomicInteger();
    Thread verifier =
        new Thread(
            () -> {
              while (!done.get()) {
                PeerEndpoint client = PeerEndpoint.ipv4(checked.incrementAndGet(), 5000);
                if (!ids.verify(ids.issue(client), client)) {
                  rejected.incrementAndGet();
                }
              }
            });
    verifier.start();
    int rotations = 0;
    while (checked.get() < 20_000) {
      ids.rotate(rotations++ % 2 == 0 ? KEY2 : KEY);
    }
    done.set(true);
    verifier.join();
    assertThat(rotations).isGreaterThan(1);
    assertThat(rejected.get()).isZero();
  }
}
