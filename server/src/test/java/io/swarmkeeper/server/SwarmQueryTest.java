package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmkeeper.swarm.InfoHash;
import org.junit.jupiter.api.Test;

class SwarmQueryTest {
  private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
  // The same 20 bytes in RFC 4648 base32.
  private static final String BASE32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";

  @Test
  void hexInEitherCaseAndBase32NameTheSameSwarm() {
    InfoHash expected = InfoHash.fromHex(HEX);
    assertThat(SwarmQuery.parse(HEX)).isEqualTo(expected);
    assertThat(SwarmQuery.parse("  " + HEX.toUpperCase() + "\n")).isEqualTo(expected);
    assertThat(SwarmQuery.parse(BASE32)).isEqualTo(expected);
    assertThat(SwarmQuery.parse(BASE32.toLowerCase())).isEqualTo(expected);
  }

  @Test
  void aMagnetLinkNamesItsV1HashOrTheTruncatedV2One() {
    InfoHash expected = InfoHash.fromHex(HEX);
    assertThat(SwarmQuery.parse("magnet:?xt=urn:btih:" + HEX + "&dn=A+file&tr=udp%3A%2F%2Fx"))
        .isEqualTo(expected);
    assertThat(SwarmQuery.parse("MAGNET:?dn=x&xt=urn:btih:" + BASE32)).isEqualTo(expected);
    String sha256 = HEX + "00112233445566778899aabb"; // 32 bytes
    // BEP 52: a v2 swarm is tracked under the first 20 bytes of its SHA-256 info hash.
    assertThat(SwarmQuery.parse("magnet:?xt=urn:btmh:1220" + sha256)).isEqualTo(expected);
    // A hybrid link names both: its v1 swarm is the one.
    String other = "ab".repeat(20);
    assertThat(SwarmQuery.parse("magnet:?xt=urn:btmh:1220" + sha256 + "&xt=urn:btih:" + other))
        .isEqualTo(InfoHash.fromHex(other));
    assertThat(SwarmQuery.parse("magnet:?xt.1=urn%3Abtih%3A" + HEX)).isEqualTo(expected);
  }

  @Test
  void anythingElseIsRefusedWithWhatWasExpected() {
    assertThatThrownBy(() -> SwarmQuery.parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("40 hex digits");
    assertThatThrownBy(() -> SwarmQuery.parse(HEX.substring(1)))
        .hasMessageContaining("not an info_hash");
    assertThatThrownBy(() -> SwarmQuery.parse("x".repeat(500)))
        .hasMessageContaining("...")
        .hasMessageNotContaining("x".repeat(81));
    assertThatThrownBy(() -> SwarmQuery.parse("magnet:?dn=nothing"))
        .hasMessageContaining("no urn:btih:");
    assertThatThrownBy(() -> SwarmQuery.parse("magnet:?xt=urn:btmh:1114" + HEX))
        .hasMessageContaining("SHA-256 multihash");
    assertThatThrownBy(() -> SwarmQuery.parse("magnet:")).hasMessageContaining("without");
    assertThatThrownBy(() -> SwarmQuery.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
