package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasskeyPathTest {

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "/0123abcd/announce, 0123abcd, /announce",
        "/0123abcd/scrape, 0123abcd, /scrape",
        "/k/announce?info_hash=x, k, /announce?info_hash=x",
        "/announce, null, /announce",
        "/scrape, null, /scrape",
        "//announce, null, //announce",
        "/k/announced, null, /k/announced",
        "/k/x/announce, null, /k/x/announce",
        "/k?q=/announce, null, /k?q=/announce",
        "k/announce, null, k/announce",
        "/k/, null, /k/",
        "'', null, ''",
      })
  void readsTheFirstSegmentOfAnAnnounceOrScrapePath(String path, String passkey, String route) {
    assertThat(PasskeyPath.passkey(path)).isEqualTo(passkey);
    assertThat(PasskeyPath.route(path, PasskeyPath.passkey(path))).isEqualTo(route);
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {"null"})
  void noPathHasNoPasskey(String path) {
    assertThat(PasskeyPath.passkey(path)).isNull();
  }

  @org.junit.jupiter.api.Test
  void theSameKeyAgainIsTheSameStringAndAnotherKeyIsItself() {
    String first = PasskeyPath.passkey("/0123456789abcdef0123456789abcdef/announce");
    String again = PasskeyPath.passkey("/0123456789abcdef0123456789abcdef/scrape");
    assertThat(again).isSameAs(first);
    assertThat(PasskeyPath.passkey("/0123456789abcdef0123456789abcdee/announce"))
        .isEqualTo("0123456789abcdef0123456789abcdee");
    assertThat(PasskeyPath.passkey("/0123456789abcdef0123456789abcde/announce"))
        .as("a prefix of the last key")
        .isEqualTo("0123456789abcdef0123456789abcde");
  }
}
