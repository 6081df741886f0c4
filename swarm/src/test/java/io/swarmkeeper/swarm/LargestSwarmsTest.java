package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LargestSwarmsTest {

  @Test
  void keepsTheLargestBySizeLargestFirstAndNeverAnEmptyOne() {
    Random random = new Random(7);
    List<LargestSwarms.Entry> all = new ArrayList<>();
    LargestSwarms top = new LargestSwarms(5);
    for (int i = 0; i < 2000; i++) {
      byte[] b = new byte[20];
      random.nextBytes(b);
      LargestSwarms.Entry e =
          new LargestSwarms.Entry(InfoHash.fromBytes(b), random.nextInt(50), random.nextInt(50));
      all.add(e);
      top.offer(e);
    }
    top.offer(InfoHash.fromBytes(new byte[20]), 0, 0);
    all.sort(Comparator.comparingInt(LargestSwarms.Entry::peers).reversed());
    List<Integer> sizes = top.result().stream().map(LargestSwarms.Entry::peers).toList();
    assertThat(sizes).hasSize(5).isSortedAccordingTo(Collections.reverseOrder());
    assertThat(sizes)
        .containsExactlyElementsOf(all.subList(0, 5).stream().map(e -> e.peers()).toList());
  }

  @Test
  void fewerSwarmsThanItsSizeAreAllKept() {
    LargestSwarms top = new LargestSwarms(LargestSwarms.SIZE);
    InfoHash a = InfoHash.fromHex("aa".repeat(20));
    InfoHash b = InfoHash.fromHex("bb".repeat(20));
    top.offer(a, 1, 1);
    top.offer(b, 3, 0);
    assertThat(top.result())
        .containsExactly(new LargestSwarms.Entry(b, 3, 0), new LargestSwarms.Entry(a, 1, 1));
    assertThat(new LargestSwarms(3).result()).isEmpty();
  }

  @Test
  void aSwarmOfferedTwiceIsKeptOnceWithItsLargerCount() {
    LargestSwarms top = new LargestSwarms(2);
    InfoHash a = InfoHash.fromHex("aa".repeat(20));
    InfoHash b = InfoHash.fromHex("bb".repeat(20));
    InfoHash c = InfoHash.fromHex("cc".repeat(20));
    top.offer(a, 5, 0);
    top.offer(a, 2, 0); // an older count of the same swarm
    top.offer(b, 1, 0);
    top.offer(a, 6, 1); // a newer, larger one
    assertThat(top.result())
        .containsExactly(new LargestSwarms.Entry(a, 6, 1), new LargestSwarms.Entry(b, 1, 0));
    top.offer(c, 3, 0); // pushes b out; a stays once
    top.offer(b, 2, 0);
    assertThat(top.result())
        .containsExactly(new LargestSwarms.Entry(a, 6, 1), new LargestSwarms.Entry(c, 3, 0));
  }
}
