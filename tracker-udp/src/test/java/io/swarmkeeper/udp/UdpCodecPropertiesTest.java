package io.swarmkeeper.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Write then parse gives the same value, both directions; no input makes a decode throw. */
class UdpCodecPropertiesTest {
  private static final int MAX_SCRAPE = 74;

  private static ByteBuf encode(UdpRequest r) {
    ByteBuf b = Unpooled.buffer();
    UdpCodec.encode(r, b);
    return b;
  }

  private static ByteBuf encode(UdpResponse r) {
    ByteBuf b = Unpooled.buffer();
    UdpResponseCodec.encode(r, b);
    return b;
  }

  @Property(tries = 5000)
  void randomBytesNeverThrow(@ForAll @Size(max = 2048) byte[] bytes, @ForAll boolean ipv6) {
    ByteBuf b = Unpooled.wrappedBuffer(bytes);
    UdpRequest request = UdpCodec.decode(b, MAX_SCRAPE);
    if (bytes.length < UdpCodec.HEADER_SIZE) {
      assertThat(request).isEqualTo(new UdpRequest.Garbage(DropReason.TOO_SHORT));
    }
    UdpResponse response = UdpResponseCodec.decode(b, ipv6);
    if (bytes.length < UdpResponseCodec.HEADER_SIZE) {
      assertThat(response).isInstanceOf(UdpResponse.Unreadable.class);
    }
    assertThat(b.readerIndex()).isZero();
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
    UdpRequest r = UdpCodec.decode(b, MAX_SCRAPE);
    if (length < 16) {
      assertThat(r).isEqualTo(new UdpRequest.Garbage(DropReason.TOO_SHORT));
    } else if (action == 0) {
      assertThat(r)
          .isEqualTo(
              seed % 2 == 0
                  ? new UdpRequest.Connect(b.getInt(12))
                  : new UdpRequest.Garbage(DropReason.BAD_PROTOCOL_ID));
    } else if (action == 1) {
      assertThat(r)
          .isInstanceOf(length < 98 ? UdpRequest.Malformed.class : UdpRequest.class)
          .isNotInstanceOfAny(UdpRequest.Garbage.class, UdpRequest.Scrape.class);
    } else if (action == 2) {
      if (length < 36) {
        assertThat(r).isInstanceOf(UdpRequest.Malformed.class);
      } else {
        assertThat(((UdpRequest.Scrape) r).infoHashes()).hasSize((length - 16) / 20);
      }
    } else {
      assertThat(((UdpRequest.Malformed) r).reason()).isEqualTo(DropReason.UNKNOWN_ACTION);
    }
  }

  /** The same sweep for answers: a client reading any bytes gets a value or an Unreadable. */
  @Property(generation = GenerationMode.EXHAUSTIVE, tries = 5 * 256 * 2)
  void everyLengthOfEveryAnswerDecodes(
      @ForAll @IntRange(min = 0, max = 4) int action,
      @ForAll @IntRange(min = 0, max = 255) int length,
      @ForAll boolean ipv6) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    ByteBuf b = Unpooled.wrappedBuffer(bytes);
    if (length >= 4) {
      b.setInt(0, action);
    }
    UdpResponse r = UdpResponseCodec.decode(b, ipv6);
    if (length < 8 || action == 4) {
      assertThat(r).isInstanceOf(UdpResponse.Unreadable.class);
    } else if (action == 0) {
      assertThat(r)
          .isInstanceOf(length == 16 ? UdpResponse.Connected.class : UdpResponse.Unreadable.class);
    } else if (action == 1) {
      int stride = ipv6 ? 18 : 6;
      boolean whole = length >= 20 && (length - 20) % stride == 0;
      assertThat(r)
          .isInstanceOf(whole ? UdpResponse.Announced.class : UdpResponse.Unreadable.class);
    } else if (action == 2) {
      assertThat(r)
          .isInstanceOf(
              (length - 8) % 12 == 0 ? UdpResponse.Scraped.class : UdpResponse.Unreadable.class);
    } else {
      assertThat(((UdpResponse.TrackerError) r).message()).hasSize(length - 8);
    }
  }

  @Provide
  Arbitrary<InfoHash> infoHashes() {
    return Arbitraries.bytes().array(byte[].class).ofSize(20).map(InfoHash::fromBytes);
  }

  @Provide
  Arbitrary<String> peerIds() {
    return Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofLength(20);
  }

  @Provide
  Arbitrary<String> urlData() {
    return Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(700).injectNull(0.3);
  }

  @Property(tries = 200)
  void connectRequestRoundTrips(@ForAll int transactionId) {
    UdpRequest r = new UdpRequest.Connect(transactionId);
    assertThat(UdpCodec.decode(encode(r), MAX_SCRAPE)).isEqualTo(r);
  }

  @Property(tries = 1000)
  void announceRequestRoundTrips(
      @ForAll long connectionId,
      @ForAll int transactionId,
      @ForAll("infoHashes") InfoHash infoHash,
      @ForAll("peerIds") String peerId,
      @ForAll long downloaded,
      @ForAll long left,
      @ForAll long uploaded,
      @ForAll @IntRange(min = 0, max = 3) int event,
      @ForAll int ip,
      @ForAll int key,
      @ForAll int numWant,
      @ForAll @IntRange(min = 1, max = 65535) int port,
      @ForAll("urlData") String urlData) {
    UdpRequest r =
        new UdpRequest.Announce(
            connectionId,
            transactionId,
            infoHash,
            peerId,
            downloaded,
            left,
            uploaded,
            event,
            ip,
            key,
            numWant,
            port,
            urlData);
    assertThat(UdpCodec.decode(encode(r), MAX_SCRAPE)).isEqualTo(r);
  }

  @Property(tries = 300)
  void scrapeRequestRoundTrips(
      @ForAll long connectionId,
      @ForAll int transactionId,
      @ForAll @Size(min = 1, max = MAX_SCRAPE) List<@From("infoHashes") InfoHash> hashes) {
    UdpRequest r = new UdpRequest.Scrape(connectionId, transactionId, hashes);
    assertThat(UdpCodec.decode(encode(r), MAX_SCRAPE)).isEqualTo(r);
  }

  @Property(tries = 2000)
  void randomOptionsAfterAValidAnnounceNeverThrow(@ForAll @Size(max = 300) byte[] options) {
    ByteBuf b =
        encode(TrackerClient.announceRequest(1, 2, InfoHash.of(1, 2, 3), 0, 0, 0, 10, 6881));
    b.writeBytes(options);
    UdpRequest r = UdpCodec.decode(b, MAX_SCRAPE);
    assertThat(r).isInstanceOfAny(UdpRequest.Announce.class, UdpRequest.Malformed.class);
  }

  @Property(tries = 200)
  void connectAnswerRoundTrips(@ForAll int transactionId, @ForAll long connectionId) {
    UdpResponse r = new UdpResponse.Connected(transactionId, connectionId);
    assertThat(UdpResponseCodec.decode(encode(r), false)).isEqualTo(r);
  }

  @Provide
  Arbitrary<List<PeerEndpoint>> ipv4Peers() {
    return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 65535))
        .as(PeerEndpoint::ipv4)
        .list()
        .ofMaxSize(200);
  }

  @Provide
  Arbitrary<List<PeerEndpoint>> ipv6Peers() {
    return Combinators.combine(
            Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, 65535))
        .as(PeerEndpoint::ipv6)
        .list()
        .ofMaxSize(70);
  }

  @Property(tries = 1000)
  void announceAnswerRoundTrips(
      @ForAll int tx,
      @ForAll int interval,
      @ForAll int leechers,
      @ForAll int seeders,
      @ForAll boolean ipv6,
      @ForAll("ipv4Peers") List<PeerEndpoint> ipv4Peers,
      @ForAll("ipv6Peers") List<PeerEndpoint> ipv6Peers) {
    UdpResponse r =
        new UdpResponse.Announced(tx, interval, leechers, seeders, ipv6 ? ipv6Peers : ipv4Peers);
    assertThat(UdpResponseCodec.decode(encode(r), ipv6)).isEqualTo(r);
  }

  @Provide
  Arbitrary<List<ScrapeStats>> scrapeStats() {
    return Combinators.combine(
            Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers())
        .as(ScrapeStats::new)
        .list()
        .ofMaxSize(MAX_SCRAPE);
  }

  @Property(tries = 300)
  void scrapeAnswerRoundTrips(@ForAll int tx, @ForAll("scrapeStats") List<ScrapeStats> stats) {
    UdpResponse r = new UdpResponse.Scraped(tx, stats);
    assertThat(UdpResponseCodec.decode(encode(r), false)).isEqualTo(r);
  }

  @Property(tries = 300)
  void errorAnswerRoundTrips(@ForAll int tx, @ForAll @CharRange(from = ' ', to = '~') String m) {
    UdpResponse r = new UdpResponse.TrackerError(tx, m);
    assertThat(UdpResponseCodec.decode(encode(r), false)).isEqualTo(r);
  }
}
