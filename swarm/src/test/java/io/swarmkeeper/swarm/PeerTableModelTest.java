package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random operation sequences against a HashMap model of the expected peers. */
class PeerTableModelTest {

  record Op(int kind, int peer, boolean seeder) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 40),
                Arbitraries.of(true, false))
            .as(Op::new);
    return op.list().ofMaxSize(400);
  }

  @Property(tries = 300)
  void agreesWithModel(@ForAll("ops") List<Op> ops, @ForAll boolean ipv6) {
    PeerTable table = new PeerTable(ipv6);
    Map<Integer, Boolean> model = new HashMap<>(); // peer -> seeder
    Map<Integer, Integer> seenAt = new HashMap<>();
    int now = 0;
    for (Op op : ops) {
      now++;
      long a = key(op.peer());
      long b = ipv6 ? op.peer() * 31L : 0;
      long c = ipv6 ? op.peer() : 0;
      int index = table.find(a, b, c);
      assertThat(index >= 0).isEqualTo(model.containsKey(op.peer()));
      switch (op.kind()) {
        case 0, 1 -> { // announce
          if (index < 0) {
            index = table.add(a, b, c, op.seeder(), now);
          } else {
            table.touch(index, now);
            index = table.setSeeder(index, op.seeder());
          }
          assertThat(table.isSeeder(index)).isEqualTo(op.seeder());
          assertThat(table.find(a, b, c)).isEqualTo(index);
          model.put(op.peer(), op.seeder());
          seenAt.put(op.peer(), now);
          int sampleBytes = table.sample(index, op.seeder(), 1000, new AnnounceCall());
          long expected =
              model.entrySet().stream()
                  .filter(e -> e.getKey() != op.peer())
                  .filter(e -> !op.seeder() || !e.getValue())
                  .count();
          assertThat(sampleBytes / (ipv6 ? 18 : 6)).isEqualTo((int) expected);
        }
        case 2 -> { // stop
          if (index >= 0) {
            table.remove(index);
          }
          model.remove(op.peer());
          seenAt.remove(op.peer());
        }
        default -> { // expire what is older than 20 steps
          int cutoff = now - 20;
          int before = table.size();
          int oldestKept = table.expire(now, 20, null);
          int removed = before - table.size();
          Set<Integer> old = new HashSet<>();
          seenAt.forEach(
              (p, t) -> {
                if (t < cutoff) {
                  old.add(p);
                }
              });
          assertThat(removed).isEqualTo(old.size());
          old.forEach(
              p -> {
                model.remove(p);
                seenAt.remove(p);
              });
          int at = now;
          assertThat(oldestKept)
              .as("age of the least recent peer kept")
              .isEqualTo(seenAt.values().stream().mapToInt(t -> at - t).max().orElse(0));
        }
      }
      assertThat(table.size()).isEqualTo(model.size());
      assertThat(table.seeders()).isEqualTo((int) model.values().stream().filter(s -> s).count());
    }
    for (int peer : model.keySet()) {
      long a = key(peer);
      int index = table.find(a, ipv6 ? peer * 31L : 0, ipv6 ? peer : 0);
      assertThat(index).isNotNegative();
      assertThat(table.isSeeder(index)).isEqualTo(model.get(peer));
    }
  }

  private static long key(int peer) {
    return ((0x0A000000L + peer) << 16) | (6881 + peer);
  }
}
