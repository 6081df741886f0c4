package io.swarmkeeper.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.swarm.InfoHash;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class UdpCodecPropertiesTest {

  @Property(tries = 5000)
  void randomBytesNeverThrow(@ForAll @Size(max = 2048) byte[] bytes) {
    UdpRequest r = UdpCodec.decode(Unpooled.wrappedBuffer(bytes), 74);
    assertThat(r).isNotNull();
  }

  /** Every length 0..255 for every action (and a bad one), ten random fillings each. */
  @Property(generation = GenerationMode.EXHAUSTIVE, tries = 5 * 256 * 10)
  void everyLengthOfEveryActionDecodes(
      @ForAll @IntRange(min = 0, max = 4) int action,
      @ForAll @IntRange(min = 0, max = 255) int length,
      @ForAll @IntRange(min = 0, max = 9) int seed) {
    byte[] bytes = new byte[length];
    new Random(seed * 1000L + length).nextBytes(bytes);
    ByteBuf b = Unpooled.wrappedBuffer(bytes);
    if (length >= 12) {
      b.setInt(8, action);
    }
    if (action == 0 && length >= 8 && seed % 2 == 0) {
      b.setLong(0, UdpCodec.PROTOCOL_ID);
    }
    UdpRequest r = UdpCodec.decode(b, 74);
    if (length < 16) {
      assertThat(r).isEqualTo(new UdpRequest.Garbage(DropReason.TOO_SHORT));
    } else if (action == 0) {
      assertThat(r).isInstanceOfAny(UdpRequest.Connect.class, UdpRequest.Garbage.class);
    } else if (action == 1 && length < 98) {
      assertThat(r).isInstanceOf(UdpRequest.Malformed.class);
    } else if (action == 4) {
      assertThat(r).isInstanceOf(UdpRequest.Malformed.class);
    } else {
      assertThat(r).isNotNull();
    }
  }

  @Property(tries = 1000)
  void announceFieldsRoundTrip(
      @ForAll long connectionId,
      @ForAll int transactionId,
      @ForAll @Size(20) byte[] hash,
      @ForAll long left,
      @ForAll @IntRange(min = 0, max = 3) int event,
      @ForAll int ip,
      @ForAll int numWant,
      @ForAll @IntRange(min = 1, max = 65535) int port) {
    InfoHash infoHash = InfoHash.fromBytes(hash);
    ByteBuf b =
        Packets.announceHeader(
            connectionId, transactionId, infoHash, left, event, ip, numWant, port);
    UdpRequest.Announce a = (UdpRequest.Announce) UdpCodec.decode(b, 74);
    assertThat(a.connectionId()).isEqualTo(connectionId);
    assertThat(a.transactionId()).isEqualTo(transactionId);
    assertThat(a.infoHash()).isEqualTo(infoHash);
    assertThat(a.left()).isEqualTo(left);
    assertThat(a.event()).isEqualTo(event);
    assertThat(a.ipAddress()).isEqualTo(ip);
    assertThat(a.numWant()).isEqualTo(numWant);
    assertThat(a.port()).isEqualTo(port);
  }

  @Property(tries = 2000)
  void randomOptionsAfterAValidAnnounceNeverThrow(@ForAll @Size(max = 300) byte[] options) {
    ByteBuf b = Packets.announceHeader(1, 2, InfoHash.of(1, 2, 3), 0, 0, 0, 10, 6881);
    b.writeBytes(options);
    UdpRequest r = UdpCodec.decode(b, 74);
    assertThat(r).isInstanceOfAny(UdpRequest.Announce.class, UdpRequest.Malformed.class);
  }
}
