package io.swarmkeeper.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class QueryStringTest {

  @Test
  void percentEscapesDecodeToRawBytesInEitherCase() {
    QueryString q = QueryString.parse("info_hash=%00%ff%FF%12abc%7E");
    assertThat(q.first("info_hash")).containsExactly(0, 0xff, 0xff, 0x12, 'a', 'b', 'c', '~');
  }

  @Test
  void plusIsALiteralPlusNotASpace() {
    QueryString q = QueryString.parse("sp=a+b&h=%2B+");
    assertThat(q.text("sp")).isEqualTo("a+b");
    assertThat(q.first("h")).containsExactly('+', '+');
  }

  @Test
  void truncatedAndBadEscapesAreRefusedWithAReason() {
    assertThatThrownBy(() -> QueryString.parse("a=%")).hasMessageContaining("truncated %-escape");
    assertThatThrownBy(() -> QueryString.parse("a=%f")).hasMessageContaining("truncated %-escape");
    assertThatThrownBy(() -> QueryString.parse("a=x%4")).hasMessageContaining("truncated");
    assertThatThrownBy(() -> QueryString.parse("a=%zz")).hasMessageContaining("bad %-escape '%zz'");
    assertThatThrownBy(() -> QueryString.parse("a=%g1&b=1")).hasMessageContaining("'%g1'");
    // names are decoded too
    assertThatThrownBy(() -> QueryString.parse("%=1")).hasMessageContaining("truncated");
  }

  @Test
  void onlyAsciiHexDigitsMakeAnEscape() {
    // Character.digit takes these as 3 and 4; they are not hex digits of a URL
    assertThatThrownBy(() -> QueryString.parse("a=%\u0663\u0664"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QueryString.parse("a=%\uff11\uff12"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonAsciiCharactersAreBytesUpTo0xFFAndRefusedAbove() {
    // the request line reaches us as ISO-8859-1: a raw byte 0xE9 is the character U+00E9
    assertThat(QueryString.parse("a=\u00e9").first("a")).containsExactly(0xE9);
    assertThatThrownBy(() -> QueryString.parse("a=\u20ac")).hasMessageContaining("U+20ac");
  }

  @Test
  void repeatedKeysKeepEveryValueInOrder() {
    QueryString q = QueryString.parse("x=1&y=2&x=3&x=");
    assertThat(q.all("x")).hasSize(3);
    assertThat(new String(q.all("x").get(1), StandardCharsets.US_ASCII)).isEqualTo("3");
    assertThat(q.all("x").get(2)).isEmpty();
    assertThat(q.text("x")).isEqualTo("1");
    assertThat(q.all("none")).isEmpty();
  }

  @Test
  void emptyValuesPairsAndQueries() {
    QueryString q = QueryString.parse("flag&empty=&&=v&a==b");
    assertThat(q.first("flag")).isEmpty();
    assertThat(q.first("empty")).isEmpty();
    assertThat(q.text("")).isEqualTo("v");
    assertThat(q.text("a")).isEqualTo("=b");
    assertThat(q.first("nope")).isNull();
    assertThat(QueryString.parse("").first("a")).isNull();
    assertThat(QueryString.parse(null).first("a")).isNull();
  }

  @Property(tries = 500)
  void everyByteStringSurvivesFullEscaping(@ForAll @Size(max = 40) byte[] bytes) {
    StringBuilder sb = new StringBuilder("v=");
    for (byte b : bytes) {
      sb.append('%').append(String.format("%02X", b & 0xFF));
    }
    assertThat(QueryString.parse(sb.toString()).first("v")).isEqualTo(bytes);
  }

  @Property(tries = 2000)
  void anyStringEitherParsesOrIsRefusedAsIllegalArgument(@ForAll @Size(max = 30) String raw) {
    try {
      QueryString.parse(raw);
    } catch (IllegalArgumentException expected) {
      // the only failure allowed
    }
  }

  /**
   * The one-pass parser reads every query as splitting it would: the same names, the same values in
   * order, and a refusal exactly where splitting refuses.
   */
  @Property(tries = 3000)
  void parsesEveryQueryAsSplittingItWould(
      @ForAll
          @net.jqwik.api.constraints.Chars({'a', 'p', '=', '&', '%', '4', '1', 'F', 'z', '+'})
          @Size(max = 24)
          String tail) {
    String raw = (tail.length() % 3 == 0 ? "info_hash=" : "") + tail;
    java.util.Map<String, java.util.List<byte[]>> expected = new java.util.HashMap<>();
    RuntimeException refused = null;
    try {
      for (String pair : raw.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name =
            new String(
                QueryString.decode(eq < 0 ? pair : pair.substring(0, eq)),
                StandardCharsets.ISO_8859_1);
        byte[] value = eq < 0 ? new byte[0] : QueryString.decode(pair.substring(eq + 1));
        expected.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
      }
    } catch (IllegalArgumentException e) {
      refused = e;
    }
    if (refused != null) {
      assertThatThrownBy(() -> QueryString.parse(raw))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(refused.getMessage());
      return;
    }
    QueryString q = QueryString.parse(raw);
    for (var e : expected.entrySet()) {
      assertThat(q.all(e.getKey())).as(raw).containsExactlyElementsOf(e.getValue());
      assertThat(q.first(e.getKey())).isEqualTo(e.getValue().get(0));
    }
    assertThat(q.all("absent")).isEmpty();
  }
}
