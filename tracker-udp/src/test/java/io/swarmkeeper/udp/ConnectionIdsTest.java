package io.swarmkeeper.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmkeeper.swarm.PeerEndpoint;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConnectionIdsTest {
  private static final byte[] KEY = ConnectionIds.keyFromHex("000102030405060708090a0b0c0d0e0f");
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
  }
}
