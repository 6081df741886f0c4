package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class InfoHashLookupTest {

  @Test
  void anAnnounceCallFindsItsTorrentInAMapKeyedByInfoHashWithoutMakingOne() {
    InfoHash held = InfoHash.of(0x0102030405060708L, 0x1112131415161718L, 0x21222324);
    InfoHash other = InfoHash.of(0x0102030405060708L, 0x1112131415161718L, 0x21222325);
    ConcurrentHashMap<InfoHash, String> map = new ConcurrentHashMap<>();
    map.put(held, "held");
    AnnounceCall call = new AnnounceCall().infoHash(held.high(), held.middle(), held.low());
    Object lookup = call.infoHashLookup();
    assertThat(lookup.hashCode()).isEqualTo(held.hashCode());
    assertThat(map.get(lookup)).isEqualTo("held");
    // the same object, refilled, asks for the next torrent
    assertThat(call.infoHash(other.high(), other.middle(), other.low()).infoHashLookup())
        .isSameAs(lookup);
    assertThat(map.get(lookup)).isNull();
    map.put(other, "other");
    assertThat(map.get(lookup)).isEqualTo("other");
  }
}
