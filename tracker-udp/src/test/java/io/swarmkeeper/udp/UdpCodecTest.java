package io.swarmkeeper.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpCodecTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final InfoHash H1 = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
  private static final InfoHash H2 = InfoHash.fromHex("fedcba9876543210fedcba9876543210fedcba98");

  private static UdpRequest decode(String hex) {
    return UdpCodec.decode(Unpooled.wrappedBuffer(HEX.parseHex(hex.replaceAll("\\s+", ""))), 74);
  }

  private static String hex(ByteBuf b) {
    return ByteBufUtil.hexDump(b);
  }

  @Test
  void connectRequest() {
    UdpRequest r =
        decode(
            "0000041727101980" // protocol_id
                + "00000000" // action: connect
                + "deadbeef"); // transaction_id
    assertThat(r).isEqualTo(new UdpRequest.Connect(0xdeadbeef));
  }

  @Test
  void connectWithWrongProtocolIdIsGarbage() {
    assertThat(decode("0000041727101981" + "00000000" + "deadbeef"))
        .isEqualTo(new UdpRequest.Garbage(DropReason.BAD_PROTOCOL_ID));
  }

  @Test
  void tooShortIsGarbage() {
    assertThat(decode("00000417271019800000000000"))
        .isEqualTo(new UdpRequest.Garbage(DropReason.TOO_SHORT));
  }

  private static final String ANNOUNCE =
      "0102030405060708" // connection_id
          + "00000001" // action: announce
          + "0000abcd" // transaction_id
          + "0123456789abcdef0123456789abcdef01234567" // info_hash
          + "2d534b303030312d6162636465666768696a6b6c" // peer_id "-SK0001-abcdefghijkl"
          + "0000000000000064" // downloaded 100
          + "00000000000003e8" // left 1000
          + "00000000000000c8" // uploaded 200
          + "00000002" // event: started
          + "0a000001" // IP address 10.0.0.1
          + "00001234" // key
          + "ffffffff" // num_want -1 (default)
          + "1ae1"; // port 6881

  @Test
  void announceRequest() {
    UdpRequest r = decode(ANNOUNCE);
    assertThat(r)
        .isEqualTo(
            new UdpRequest.Announce(
                0x0102030405060708L,
                0xabcd,
                InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567"),
                "-SK0001-abcdefghijkl",
                100,
                1000,
                200,
                2,
                0x0a000001,
                0x1234,
                -1,
                6881,
                null));
  }

  @Test
  void requestsEncodeToTheGoldenBytes() {
    assertThat(encode(new UdpRequest.Connect(0xdeadbeef)))
        .isEqualTo(
            "0000041727101980" // protocol_id
                + "00000000" // action: connect
                + "deadbeef"); // transaction_id
    UdpRequest.Announce announce = (UdpRequest.Announce) decode(ANNOUNCE);
    assertThat(encode(announce)).isEqualTo(ANNOUNCE);
    assertThat(encode(announce.withUrlData("/abc?x=1")))
        .isEqualTo(
            ANNOUNCE
                + "02" // URLData
                + "08" // of 8 bytes
                + "2f6162633f783d31" // "/abc?x=1"
                + "00"); // EndOfOptions
    assertThat(encode(new UdpRequest.Scrape(0x0102030405060708L, 7, List.of(H1, H2))))
        .isEqualTo(
            "0102030405060708" // connection_id
                + "00000002" // action: scrape
                + "00000007" // transaction_id
                + "0123456789abcdef0123456789abcdef01234567" // info_hash 1
                + "fedcba9876543210fedcba9876543210fedcba98"); // info_hash 2
  }

  @Test
  void longUrlDataIsSplitInto255ByteOptions() {
    UdpRequest.Announce announce = (UdpRequest.Announce) decode(ANNOUNCE);
    String url = "/" + "u".repeat(299);
    String hex = encode(announce.withUrlData(url));
    String rest = hex.substring(ANNOUNCE.length());
    assertThat(rest.substring(0, 4)).isEqualTo("02ff"); // URLData of 255 bytes
    assertThat(rest.substring(4 + 510, 4 + 510 + 4)).isEqualTo("022d"); // then of 45 bytes
    assertThat(rest).endsWith("00");
    assertThat(((UdpRequest.Announce) decode(hex)).urlData()).isEqualTo(url);
  }

  private static String encode(UdpRequest r) {
    ByteBuf out = Unpooled.buffer();
    UdpCodec.encode(r, out);
    return hex(out);
  }

  @Test
  void rejectionsAndBadFieldsAreNotEncoded() {
    ByteBuf out = Unpooled.buffer();
    assertThatThrownBy(() -> UdpCodec.encode(new UdpRequest.Garbage(DropReason.TOO_SHORT), out))
        .isInstanceOf(IllegalArgumentException.class);
    UdpRequest.Announce announce = (UdpRequest.Announce) decode(ANNOUNCE);
    assertThatThrownBy(() -> UdpCodec.encode(announce.withUrlData("/\u20ac"), out))
        .hasMessageContaining("U+20ac");
  }

  @Test
  void announceWithBep41OptionsKeepsUrlData() {
    UdpRequest r =
        decode(
            ANNOUNCE
                + "01" // NOP
                + "02"
                + "04"
                + "2f616263" // URLData "/abc"
                + "07"
                + "02"
                + "ffff" // an unknown option, skipped by its length
                + "02"
                + "04"
                + "3f783d31" // URLData "?x=1"
                + "00" // EndOfOptions
                + "0205"); // after the end: ignored
    assertThat(r).isInstanceOf(UdpRequest.Announce.class);
    assertThat(((UdpRequest.Announce) r).urlData()).isEqualTo("/abc?x=1");
    assertThat(((UdpRequest.Announce) r).port()).isEqualTo(6881);
  }

  @Test
  void announceWithOptionsRunningPastThePacketIsMalformed() {
    assertThat(decode(ANNOUNCE + "02" + "0a" + "2f6162"))
        .isEqualTo(
            new UdpRequest.Malformed(
                0x0102030405060708L, 0xabcd, "malformed BEP 41 options", DropReason.BAD_OPTIONS));
    assertThat(decode(ANNOUNCE + "02")).isInstanceOf(UdpRequest.Malformed.class);
  }

  @Test
  void announceErrors() {
    assertThat(decode(ANNOUNCE.substring(0, ANNOUNCE.length() - 2)))
        .isEqualTo(
            new UdpRequest.Malformed(
                0x0102030405060708L, 0xabcd, "announce too short", DropReason.TOO_SHORT));
    String badEvent = ANNOUNCE.replace("00000002" + "0a000001", "00000004" + "0a000001");
    assertThat(((UdpRequest.Malformed) decode(badEvent)).reason()).isEqualTo(DropReason.BAD_EVENT);
    String portZero = ANNOUNCE.substring(0, ANNOUNCE.length() - 4) + "0000";
    assertThat(decode(portZero))
        .isEqualTo(
            new UdpRequest.Malformed(
                0x0102030405060708L, 0xabcd, "invalid port 0", DropReason.BAD_PORT));
  }

  @Test
  void unknownActionIsMalformed() {
    assertThat(decode("0102030405060708" + "00000009" + "00000001"))
        .isEqualTo(
            new UdpRequest.Malformed(
                0x0102030405060708L, 1, "unknown action", DropReason.UNKNOWN_ACTION));
  }

  @Test
  void scrapeRequest() {
    UdpRequest r =
        decode(
            "0102030405060708" // connection_id
                + "00000002" // action: scrape
                + "00000007" // transaction_id
                + "0123456789abcdef0123456789abcdef01234567" // info_hash 1
                + "fedcba9876543210fedcba9876543210fedcba98" // info_hash 2
                + "ffff"); // a trailing partial hash is ignored
    assertThat(r).isEqualTo(new UdpRequest.Scrape(0x0102030405060708L, 7, List.of(H1, H2)));
  }

  @Test
  void scrapeLimits() {
    List<InfoHash> hashes = new ArrayList<>();
    for (int i = 0; i < 75; i++) {
      hashes.add(InfoHash.of(i, i, i));
    }
    ByteBuf ok = scrape(hashes.subList(0, 74));
    assertThat(UdpCodec.decode(ok, 74)).isInstanceOf(UdpRequest.Scrape.class);
    ByteBuf tooMany = scrape(hashes);
    assertThat(UdpCodec.decode(tooMany, 74))
        .isEqualTo(
            new UdpRequest.Malformed(
                1, 2, "too many info hashes (at most 74)", DropReason.BAD_SCRAPE));
    ByteBuf none = scrape(List.of());
    assertThat(((UdpRequest.Malformed) UdpCodec.decode(none, 74)).message())
        .isEqualTo("scrape without info_hash");
  }

  private static ByteBuf scrape(List<InfoHash> hashes) {
    ByteBuf b = Unpooled.buffer();
    UdpCodec.encode(new UdpRequest.Scrape(1, 2, hashes), b);
    return b;
  }

  @Test
  void decodeLeavesTheBufferAlone() {
    ByteBuf b = Unpooled.wrappedBuffer(HEX.parseHex(ANNOUNCE));
    UdpCodec.decode(b, 74);
    assertThat(b.readerIndex()).isZero();
    assertThat(b.readableBytes()).isEqualTo(98);
  }

  @Test
  void connectResponse() {
    ByteBuf out = Unpooled.buffer();
    UdpResponseCodec.writeConnect(out, 0xdeadbeef, 0x0102030405060708L);
    assertThat(hex(out))
        .isEqualTo(
            "00000000" // action: connect
                + "deadbeef" // transaction_id
                + "0102030405060708"); // connection_id
  }

  @Test
  void announceResponseIpv4AndIpv6() {
    ByteBuf out = Unpooled.buffer();
    byte[] peers = HEX.parseHex("0a0000011ae1" + "0a0000021ae2");
    UdpResponseCodec.writeAnnounce(out, 5, 1800, new AnnounceResult(3, 4, false, peers));
    assertThat(hex(out))
        .isEqualTo(
            "00000001" // action: announce
                + "00000005" // transaction_id
                + "00000708" // interval 1800
                + "00000004" // leechers
                + "00000003" // seeders
                + "0a0000011ae1" // 10.0.0.1:6881
                + "0a0000021ae2"); // 10.0.0.2:6882
    ByteBuf out6 = Unpooled.buffer();
    byte[] peer6 = HEX.parseHex("20010db8000000000000000000000001" + "1ae1");
    UdpResponseCodec.writeAnnounce(out6, 5, 1800, new AnnounceResult(0, 1, true, peer6));
    assertThat(out6.readableBytes()).isEqualTo(20 + 18);

    assertThat(UdpResponseCodec.decode(out, false))
        .isEqualTo(
            new UdpResponse.Announced(
                5,
                1800,
                4,
                3,
                List.of(PeerEndpoint.ipv4(0x0a000001, 6881), PeerEndpoint.ipv4(0x0a000002, 6882))));
    assertThat(UdpResponseCodec.decode(out6, true))
        .isEqualTo(
            new UdpResponse.Announced(
                5, 1800, 1, 0, List.of(PeerEndpoint.ipv6(0x20010db800000000L, 1, 6881))));
  }

  private static UdpResponse answer(String hex, boolean ipv6) {
    return UdpResponseCodec.decode(Unpooled.wrappedBuffer(HEX.parseHex(hex)), ipv6);
  }

  @Test
  void connectAnswerDecodes() {
    assertThat(
            answer(
                "00000000" // action: connect
                    + "deadbeef" // transaction_id
                    + "0102030405060708", // connection_id
                false))
        .isEqualTo(new UdpResponse.Connected(0xdeadbeef, 0x0102030405060708L));
  }

  @Test
  void scrapeAndErrorAnswersDecode() {
    assertThat(
            answer(
                "00000002" // action: scrape
                    + "00000009" // transaction_id
                    + "000000010000000200000003", // seeders 1, completed 2, leechers 3
                false))
        .isEqualTo(new UdpResponse.Scraped(9, List.of(new ScrapeStats(1, 2, 3))));
    assertThat(
            answer(
                "00000003" // action: error
                    + "00000009" // transaction_id
                    + "6e6f", // "no"
                false))
        .isEqualTo(new UdpResponse.TrackerError(9, "no"));
  }

  @Test
  void answersThatAreNoneOfThemAreUnreadable() {
    assertThat(answer("000000010000", false)).isInstanceOf(UdpResponse.Unreadable.class);
    assertThat(answer("00000000" + "00000001" + "01020304", false))
        .isEqualTo(new UdpResponse.Unreadable("connect answer of 12 bytes, not 16"));
    String announceHeader = "00000001" + "00000001" + "00000708" + "00000000" + "00000001";
    assertThat(answer(announceHeader + "0a0000011ae1" + "00", false))
        .isEqualTo(
            new UdpResponse.Unreadable(
                "announce answer of 27 bytes: peer entries are not 6 bytes"));
    // 36 peer bytes are six IPv4 peers or two IPv6 ones: the address family decides
    String peers = "0a0000011ae1".repeat(6);
    assertThat(((UdpResponse.Announced) answer(announceHeader + peers, false)).peers()).hasSize(6);
    assertThat(((UdpResponse.Announced) answer(announceHeader + peers, true)).peers()).hasSize(2);
    assertThat(answer("00000002" + "00000001" + "0000000100", false))
        .isInstanceOf(UdpResponse.Unreadable.class);
    assertThat(answer("00000007" + "00000001", false))
        .isEqualTo(new UdpResponse.Unreadable("unknown action 7"));
  }

  @Test
  void scrapeAndErrorResponses() {
    ByteBuf out = Unpooled.buffer();
    UdpResponseCodec.writeScrape(out, 9, List.of(new ScrapeStats(1, 2, 3), ScrapeStats.EMPTY));
    assertThat(hex(out))
        .isEqualTo(
            "00000002" // action: scrape
                + "00000009" // transaction_id
                + "000000010000000200000003" // seeders, completed, leechers
                + "000000000000000000000000"); // unknown hash
    ByteBuf err = Unpooled.buffer();
    UdpResponseCodec.writeError(err, 9, "no");
    assertThat(hex(err)).isEqualTo("00000003" + "00000009" + "6e6f");
  }
}
