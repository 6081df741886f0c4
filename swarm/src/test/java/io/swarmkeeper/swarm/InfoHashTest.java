package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class InfoHashTest {
  @Property
  void bytesRoundTrip(@ForAll @Size(20) byte[] bytes) {
    InfoHash h = InfoHash.fromBytes(bytes);
    assertThat(h.toBytes()).isEqualTo(bytes);
    assertThat(InfoHash.fromHex(h.toHex())).isEqualTo(h).hasSameHashCodeAs(h);
  }

  @Test
  void equalityIsByValue() {
    String hex = "0123456789abcdef0123456789abcdef01234567";
    assertThat(InfoHash.fromHex(hex)).isEqualTo(InfoHash.fromHex(hex));
    assertThat(InfoHash.fromHex(hex)).isNotEqualTo(InfoHash.fromHex(hex.replace('7', '8')));
  }

  @Test
  void rejectsWrongLength() {
    assertThatThrownBy(() -> InfoHash.fromBytes(new byte[19])).hasMessageContaining("20 bytes");
    assertThatThrownBy(() -> InfoHash.fromHex("00")).hasMessageContaining("40 characters");
  }
}
