package io.swarmkeeper.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetBenchTest {
  @Test
  void sourcesAreRaisedToAMultipleOfTheMembersThatHoldsThePeers() {
    LoadTest.ScenarioOptions shape = new LoadTest.ScenarioOptions();
    shape.peers = 1_000_000; // needs 16 sources of 64,511 ports
    shape.sources = 4;
    FleetBench.spreadSources(shape, 3);
    assertThat(shape.sources).isEqualTo(18);

    shape.peers = 1000;
    shape.sources = 4;
    FleetBench.spreadSources(shape, 2);
    assertThat(shape.sources).isEqualTo(4);
  }

  @Test
  void aFleetMembersCommandJoinsTheOthersOnItsOwnPorts() {
    NodeLaunchOptions o = new NodeLaunchOptions();
    String member = String.join(" ", o.command(1, 3, "bench"));
    assertThat(member)
        .startsWith("taskset -c 0 ")
        .contains(NodeLaunchOptions.COMMON_POOL)
        .contains("--udp-port 16970 --http-port -1 --admin-port 16981")
        .contains("--store hazelcast --cluster-host 127.0.0.1 --cluster-port 16702")
        .contains("--cluster-members 127.0.0.1:16701,127.0.0.1:16702,127.0.0.1:16703")
        .contains("--cluster-name bench --set cluster.backup-count=1");
    assertThat(String.join(" ", o.command(0, 1, null)))
        .contains("--store memory")
        .doesNotContain("--cluster");
  }

  @Test
  void rowsAreWrittenAsOneJsonArray() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("setup", "fleet");
    a.put("cpu_seconds", 1.5);
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("setup", "single \"quoted\"");
    b.put("exit_code", null);
    JsonObject json = new JsonObject(LoadStats.toJson("runs", List.of(a, b)));
    assertThat(json.getJsonArray("runs")).hasSize(2);
    assertThat(json.getJsonArray("runs").getJsonObject(0).getDouble("cpu_seconds")).isEqualTo(1.5);
    assertThat(json.getJsonArray("runs").getJsonObject(1).getString("setup"))
        .isEqualTo("single \"quoted\"");
    assertThat(LoadStats.toJson("runs", List.of())).isEqualTo("{\"runs\":[]}\n");
  }
}
