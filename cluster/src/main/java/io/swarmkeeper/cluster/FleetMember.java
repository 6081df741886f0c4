package io.swarmkeeper.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;

/**
 * This node's membership of the fleet: an embedded Hazelcast member configured from {@link
 * ClusterOptions}. Hazelcast does the membership, the placement of partitions, their backups, the
 * promotion of backups when a member dies, migration when members come and go, and the merge after
 * a network partition heals; this class only configures it.
 */
public final class FleetMember {
  /** The swarms, one entry per info_hash, kept as objects and changed by entry processors. */
  static final String SWARMS = "swarmkeeper.swarms";

  /** What each member owns ({@link MemberStats}), keyed by member UUID. */
  static final String MEMBERS = "swarmkeeper.members";

  /** Fleet-wide settings agreed through the cluster (the connection-id key). */
  static final String FLEET = "swarmkeeper.fleet";

  private final HazelcastInstance hazelcast;
  private final ClusterOptions options;

  private FleetMember(HazelcastInstance hazelcast, ClusterOptions options) {
    this.hazelcast = hazelcast;
    this.options = options;
  }

  /** Starts the member and joins (or founds) the cluster; blocks, so never on an event loop. */
  public static FleetMember join(ClusterOptions options) {
    ClusterOptions copy = new ClusterOptions(options);
    return new FleetMember(Hazelcast.newHazelcastInstance(config(copy)), copy);
  }

  static Config config(ClusterOptions o) {
    Config c = new Config();
    c.setClusterName(o.getName());
    c.setInstanceName("swarmkeeper-" + o.getPort() + "-" + System.nanoTime());
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.setProperty("hazelcast.phone.home.enabled", "false");
    // The node shuts its member down itself, after it stopped serving (graceful migration).
    c.setProperty("hazelcast.shutdownhook.enabled", "false");
    c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    c.setProperty(
        "hazelcast.max.no.heartbeat.seconds", Integer.toString(o.getHeartbeatTimeoutSeconds()));
    c.setProperty(
        "hazelcast.merge.first.run.delay.seconds", Integer.toString(o.getMergeCheckSeconds()));
    c.setProperty(
        "hazelcast.merge.next.run.delay.seconds", Integer.toString(o.getMergeCheckSeconds()));
    c.setProperty("hazelcast.wait.seconds.before.join", "1");
    c.setProperty("hazelcast.graceful.shutdown.max.wait", "300");

    NetworkConfig network = c.getNetworkConfig();
    network.setPort(o.getPort()).setPortAutoIncrement(false);
    if (!o.getHost().isEmpty()) {
      network.getInterfaces().setEnabled(true).addInterface(o.getHost());
      c.setProperty("hazelcast.socket.bind.any", "false");
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (o.getDiscovery() == ClusterOptions.Discovery.KUBERNETES) {
      var k8s = join.getKubernetesConfig().setEnabled(true);
      if (!o.getKubernetesServiceDns().isEmpty()) {
        k8s.setProperty("service-dns", o.getKubernetesServiceDns());
        k8s.setProperty("service-port", Integer.toString(o.getPort()));
      } else {
        if (!o.getKubernetesServiceName().isEmpty()) {
          k8s.setProperty("service-name", o.getKubernetesServiceName());
        }
        if (!o.getKubernetesNamespace().isEmpty()) {
          k8s.setProperty("namespace", o.getKubernetesNamespace());
        }
      }
    } else {
      join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
      for (String member : o.getMembers()) {
        join.getTcpIpConfig().addMember(member);
      }
    }

    int sync = o.isAsyncBackups() ? 0 : o.getBackupCount();
    int async = o.isAsyncBackups() ? o.getBackupCount() : 0;
    c.addMapConfig(
        new MapConfig(SWARMS + "*")
            .setInMemoryFormat(InMemoryFormat.OBJECT)
            .setBackupCount(sync)
            .setAsyncBackupCount(async)
            .setStatisticsEnabled(false)
            .setMergePolicyConfig(new MergePolicyConfig(SwarmMergePolicy.class.getName(), 100)));
    c.addMapConfig(
        new MapConfig(MEMBERS + "*").setBackupCount(Math.max(1, sync)).setAsyncBackupCount(async));
    // After a partition heals, the larger side's key stays; the smaller side rotates to it.
    c.addMapConfig(
        new MapConfig(FLEET)
            .setBackupCount(Math.max(1, sync))
            .setMergePolicyConfig(
                new MergePolicyConfig(PutIfAbsentMergePolicy.class.getName(), 100)));
    ClusterSerialization.configure(c.getSerializationConfig());
    return c;
  }

  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  public ClusterOptions options() {
    return new ClusterOptions(options);
  }

  /** This member's cluster address, host:port. */
  public String address() {
    var a = hazelcast.getCluster().getLocalMember().getAddress();
    return a.getHost() + ":" + a.getPort();
  }

  /** The addresses (host:port) of the members in the cluster as this member sees it. */
  public java.util.List<String> memberAddresses() {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (hazelcast.getLifecycleService().isRunning()) {
      for (var m : hazelcast.getCluster().getMembers()) {
        out.add(m.getAddress().getHost() + ":" + m.getAddress().getPort());
      }
    }
    return out;
  }

  /** Members in the cluster as this member sees it. */
  public int memberCount() {
    return hazelcast.getLifecycleService().isRunning()
        ? hazelcast.getCluster().getMembers().size()
        : 0;
  }

  /**
   * Whether every partition has its owner and backups in sync with no migration running: until then
   * a member's death could lose swarms. A remote check; call it off the event loop.
   */
  public boolean isClusterSafe() {
    return hazelcast.getLifecycleService().isRunning()
        && hazelcast.getPartitionService().isClusterSafe();
  }

  /**
   * Leaves gracefully: the partitions this member owns migrate to the others before it goes, so no
   * swarm depends on a backup. Blocks until done.
   */
  public void leave() {
    if (hazelcast.getLifecycleService().isRunning()) {
      hazelcast.shutdown();
    }
  }

  /** Stops at once, as a crash would (tests): the others promote their backups. */
  public void crash() {
    hazelcast.getLifecycleService().terminate();
  }
}
