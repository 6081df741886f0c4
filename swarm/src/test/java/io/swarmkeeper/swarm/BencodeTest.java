package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class BencodeTest {
  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void encodesTheBep3Examples() {
    assertThat(text(Bencode.encode("spam"))).isEqualTo("4:spam");
    assertThat(text(Bencode.encode(3))).isEqualTo("i3e");
    assertThat(text(Bencode.encode(-3L))).isEqualTo("i-3e");
    assertThat(text(Bencode.encode(List.of("spam", "eggs")))).isEqualTo("l4:spam4:eggse");
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("spam", List.of("a", "b"));
    d.put("cow", "moo"); // keys come out sorted
    assertThat(text(Bencode.encode(d))).isEqualTo("d3:cow3:moo4:spaml1:a1:bee");
  }

  @Test
  void rejectsMalformedInput() {
    for (String bad :
        new String[] {
          "", "i12", "ie", "i1x2e", "5:abc", "l", "d1:ae", "di1ei2ee", "x", "i1ei2e", "-1:a"
        }) {
      assertThatThrownBy(() -> Bencode.decode(bad.getBytes(StandardCharsets.ISO_8859_1)))
          .as(bad)
          .isInstanceOf(Bencode.BencodeException.class);
    }
    String deep = "l".repeat(100) + "e".repeat(100);
    assertThatThrownBy(() -> Bencode.decode(deep.getBytes(StandardCharsets.ISO_8859_1)))
        .isInstanceOf(Bencode.BencodeException.class);
  }

  @Property(tries = 3000)
  void randomBytesOnlyEverFailAsBencode(@ForAll @Size(max = 64) byte[] bytes) {
    try {
      Bencode.decode(bytes);
    } catch (Bencode.BencodeException expected) {
      // the only failure allowed
    }
  }

  /** The entries written straight to a buffer are what encoding the same map gives. */
  @Property(tries = 1000)
  void entriesAppendedToABufferEncodeAsTheMapWould(
      @ForAll long count, @ForAll @Size(max = 300) byte[] peers, @ForAll boolean whole) {
    int length = whole ? peers.length : peers.length / 2;
    io.vertx.core.buffer.Buffer out = io.vertx.core.buffer.Buffer.buffer();
    out.appendByte((byte) 'd');
    Bencode.appendEntry(out, Bencode.key("complete"), count);
    Bencode.appendEntry(out, Bencode.key("peers"), peers, length);
    out.appendByte((byte) 'e');
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("complete", count);
    d.put("peers", java.util.Arrays.copyOf(peers, length));
    assertThat(out.getBytes()).isEqualTo(Bencode.encode(d));
  }

  @Test
  void integerEntriesAtTheEdges() {
    for (long v : new long[] {0, 9, 10, 99, 100, -1, -10, Long.MAX_VALUE, Long.MIN_VALUE}) {
      io.vertx.core.buffer.Buffer out = io.vertx.core.buffer.Buffer.buffer();
      Bencode.appendEntry(out, Bencode.key("n"), v);
      assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("1:ni" + v + "e");
    }
  }

  @Property(tries = 500)
  void roundTrips(@ForAll long seed) {
    Object value = random(new Random(seed), 0);
    Object decoded = Bencode.decode(Bencode.encode(value));
    assertThat(Bencode.encode(decoded)).isEqualTo(Bencode.encode(value));
  }

  private static Object random(Random r, int depth) {
    int kind = depth > 3 ? r.nextInt(2) : r.nextInt(4);
    switch (kind) {
      case 0:
        return r.nextLong() >> r.nextInt(64);
      case 1:
        byte[] b = new byte[r.nextInt(30)];
        r.nextBytes(b);
        return b;
      case 2:
        List<Object> list = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          list.add(random(r, depth + 1));
        }
        return list;
      default:
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          map.put("k" + r.nextInt(100), random(r, depth + 1));
        }
        return map;
    }
  }
}
