package io.swarmkeeper.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Hazelcast is told for each discovery mode and store option, without starting a member. */
class FleetMemberConfigTest {

  @Test
  void staticDiscoveryListsTheMembersAndNeverMulticasts() {
    Config c =
        FleetMember.config(
            new ClusterOptions()
                .setName("f")
                .setPort(5800)
                .setMembers(List.of("10.0.0.1:5800", " 10.0.0.2:5800 ", "")));
    JoinConfig join = c.getNetworkConfig().getJoin();
    assertThat(c.getClusterName()).isEqualTo("f");
    assertThat(c.getNetworkConfig().getPort()).isEqualTo(5800);
    assertThat(c.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers())
        .containsExactly("10.0.0.1:5800", "10.0.0.2:5800");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
  }

  @Test
  void kubernetesDnsModeNamesTheHeadlessServiceAndPort() {
    Config c =
        FleetMember.config(
            new ClusterOptions()
                .setDiscovery(ClusterOptions.Discovery.KUBERNETES)
                .setKubernetesServiceDns("swarmkeeper-hz.trackers.svc.cluster.local"));
    JoinConfig join = c.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("swarmkeeper-hz.trackers.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
  }

  @Test
  void kubernetesApiModeNamesTheServiceAndNamespace() {
    Config c =
        FleetMember.config(
            new ClusterOptions()
                .setDiscovery(ClusterOptions.Discovery.KUBERNETES)
                .setKubernetesServiceName("swarmkeeper-hz")
                .setKubernetesNamespace("trackers"));
    var k8s = c.getNetworkConfig().getJoin().getKubernetesConfig();
    assertThat(k8s.getProperty("service-dns")).isNull();
    assertThat(k8s.getProperty("service-name")).isEqualTo("swarmkeeper-hz");
    assertThat(k8s.getProperty("namespace")).isEqualTo("trackers");
  }

  @Test
  void swarmsAreObjectsWithTheBackupsAskedForAndMergedByUnion() {
    MapConfig sync =
        FleetMember.config(new ClusterOptions().setBackupCount(2))
            .findMapConfig(FleetMember.SWARMS);
    assertThat(sync.getInMemoryFormat()).isEqualTo(InMemoryFormat.OBJECT);
    assertThat(sync.getBackupCount()).isEqualTo(2);
    assertThat(sync.getAsyncBackupCount()).isZero();
    assertThat(sync.getMergePolicyConfig().getPolicy()).isEqualTo(SwarmMergePolicy.class.getName());
    MapConfig async =
        FleetMember.config(new ClusterOptions().setAsyncBackups(true))
            .findMapConfig(FleetMember.SWARMS);
    assertThat(async.getBackupCount()).isZero();
    assertThat(async.getAsyncBackupCount()).isEqualTo(1);
  }

  @Test
  void badOptionsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> new ClusterOptions().setMembers(List.of("host:99999")))
        .hasMessage("cluster.members: 'host:99999' is not host:port (port 1..65535)");
    assertThatThrownBy(() -> new ClusterOptions().setBackupCount(7))
        .hasMessage("cluster.backup-count must be 0..6 (Hazelcast's limit), got 7");
    assertThatThrownBy(() -> new ClusterOptions().setPort(0))
        .hasMessage("cluster.port must be 1..65535, got 0");
  }
}
