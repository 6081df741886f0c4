package io.swarmkeeper.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a node joins the fleet and how its clustered store behaves: every tunable of the cluster
 * module in one place, with its unit. Setters check their argument at once and name the option.
 */
public final class ClusterOptions {
  /** How members find each other. Multicast is never used: clouds drop it, and it leaks. */
  public enum Discovery {
    /** A fixed list of member addresses (bare metal, tests). */
    STATIC,
    /** Kubernetes: the pods behind a headless service (DNS) or the API (a service name). */
    KUBERNETES
  }

  public static final String DEFAULT_NAME = "swarmkeeper";
  public static final String DEFAULT_HOST = "";
  public static final int DEFAULT_PORT = 5701;
  public static final Discovery DEFAULT_DISCOVERY = Discovery.STATIC;
  public static final int DEFAULT_BACKUP_COUNT = 1;
  public static final boolean DEFAULT_ASYNC_BACKUPS = false;

  /** A UDP client gives up after 15 s; an answer later than this is worth less than the load. */
  public static final int DEFAULT_TIMEOUT_MILLIS = 3000;

  /** Requests of this node waiting on the fleet; past it a request is dropped and counted. */
  public static final int DEFAULT_MAX_OUTSTANDING = 20_000;

  /** A member silent this long is declared dead and its backups promoted (Hazelcast's is 60). */
  public static final int DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 15;

  /** How often a node looks for the other side of a healed network partition (Hazelcast: 120). */
  public static final int DEFAULT_MERGE_CHECK_SECONDS = 30;

  private String name = DEFAULT_NAME;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private List<String> members = List.of();
  private Discovery discovery = DEFAULT_DISCOVERY;
  private String kubernetesServiceDns = "";
  private String kubernetesServiceName = "";
  private String kubernetesNamespace = "";
  private int backupCount = DEFAULT_BACKUP_COUNT;
  private boolean asyncBackups = DEFAULT_ASYNC_BACKUPS;
  private int timeoutMillis = DEFAULT_TIMEOUT_MILLIS;
  private int maxOutstanding = DEFAULT_MAX_OUTSTANDING;
  private int heartbeatTimeoutSeconds = DEFAULT_HEARTBEAT_TIMEOUT_SECONDS;
  private int mergeCheckSeconds = DEFAULT_MERGE_CHECK_SECONDS;

  public ClusterOptions() {}

  public ClusterOptions(ClusterOptions other) {
    this.name = other.name;
    this.host = other.host;
    this.port = other.port;
    this.members = other.members;
    this.discovery = other.discovery;
    this.kubernetesServiceDns = other.kubernetesServiceDns;
    this.kubernetesServiceName = other.kubernetesServiceName;
    this.kubernetesNamespace = other.kubernetesNamespace;
    this.backupCount = other.backupCount;
    this.asyncBackups = other.asyncBackups;
    this.timeoutMillis = other.timeoutMillis;
    this.maxOutstanding = other.maxOutstanding;
    this.heartbeatTimeoutSeconds = other.heartbeatTimeoutSeconds;
    this.mergeCheckSeconds = other.mergeCheckSeconds;
  }

  public String getName() {
    return name;
  }

  /** Members join only a cluster of their own name: two fleets on one network stay apart. */
  public ClusterOptions setName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("cluster.name must not be empty");
    }
    this.name = name;
    return this;
  }

  public String getHost() {
    return host;
  }

  /**
   * The address this member binds and tells the others ("" lets Hazelcast pick one of the host's
   * addresses).
   */
  public ClusterOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "cluster.host").trim();
    return this;
  }

  public int getPort() {
    return port;
  }

  public ClusterOptions setPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cluster.port must be 1..65535, got " + port);
    }
    this.port = port;
    return this;
  }

  public List<String> getMembers() {
    return members;
  }

  /** Static discovery: {@code host:port} (or {@code host}, the cluster port) of other members. */
  public ClusterOptions setMembers(List<String> members) {
    List<String> checked = new ArrayList<>();
    for (String m : members) {
      String member = m.trim();
      if (member.isEmpty()) {
        continue;
      }
      int colon = member.lastIndexOf(':');
      if (colon >= 0 && !member.endsWith("]")) {
        String p = member.substring(colon + 1);
        int port;
        try {
          port = Integer.parseInt(p);
        } catch (NumberFormatException e) {
          port = -1;
        }
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException(
              "cluster.members: '" + member + "' is not host:port (port 1..65535)");
        }
      }
      checked.add(member);
    }
    this.members = List.copyOf(checked);
    return this;
  }

  public Discovery getDiscovery() {
    return discovery;
  }

  public ClusterOptions setDiscovery(Discovery discovery) {
    this.discovery = Objects.requireNonNull(discovery, "cluster.discovery");
    return this;
  }

  public String getKubernetesServiceDns() {
    return kubernetesServiceDns;
  }

  /**
   * DNS mode: the headless service's name (e.g. {@code swarmkeeper-hz.ns.svc.cluster.local}); needs
   * no RBAC. When empty, API mode with {@link #getKubernetesServiceName()}.
   */
  public ClusterOptions setKubernetesServiceDns(String dns) {
    this.kubernetesServiceDns = Objects.requireNonNull(dns, "cluster.kubernetes-service-dns");
    return this;
  }

  public String getKubernetesServiceName() {
    return kubernetesServiceName;
  }

  /** API mode: the service whose endpoints are the members (needs RBAC to read endpoints). */
  public ClusterOptions setKubernetesServiceName(String name) {
    this.kubernetesServiceName = Objects.requireNonNull(name, "cluster.kubernetes-service-name");
    return this;
  }

  public String getKubernetesNamespace() {
    return kubernetesNamespace;
  }

  /** API mode: the namespace ("" reads the pod's own). */
  public ClusterOptions setKubernetesNamespace(String namespace) {
    this.kubernetesNamespace = Objects.requireNonNull(namespace, "cluster.kubernetes-namespace");
    return this;
  }

  public int getBackupCount() {
    return backupCount;
  }

  /** Copies of each swarm on other members; 1 survives any one member's death. */
  public ClusterOptions setBackupCount(int backupCount) {
    if (backupCount < 0 || backupCount > 6) {
      throw new IllegalArgumentException(
          "cluster.backup-count must be 0..6 (Hazelcast's limit), got " + backupCount);
    }
    this.backupCount = backupCount;
    return this;
  }

  public boolean isAsyncBackups() {
    return asyncBackups;
  }

  /**
   * Async: an announce is answered before its backup is acknowledged (faster; a member's death may
   * lose the last moments of announces, which clients repeat at their next interval).
   */
  public ClusterOptions setAsyncBackups(boolean asyncBackups) {
    this.asyncBackups = asyncBackups;
    return this;
  }

  public int getTimeoutMillis() {
    return timeoutMillis;
  }

  public ClusterOptions setTimeoutMillis(int timeoutMillis) {
    if (timeoutMillis < 10 || timeoutMillis > 120_000) {
      throw new IllegalArgumentException(
          "cluster.timeout-millis must be 10..120000, got " + timeoutMillis);
    }
    this.timeoutMillis = timeoutMillis;
    return this;
  }

  public int getMaxOutstanding() {
    return maxOutstanding;
  }

  public ClusterOptions setMaxOutstanding(int maxOutstanding) {
    if (maxOutstanding < 1) {
      throw new IllegalArgumentException(
          "cluster.max-outstanding must be >= 1, got " + maxOutstanding);
    }
    this.maxOutstanding = maxOutstanding;
    return this;
  }

  public int getHeartbeatTimeoutSeconds() {
    return heartbeatTimeoutSeconds;
  }

  public ClusterOptions setHeartbeatTimeoutSeconds(int seconds) {
    if (seconds < 3 || seconds > 600) {
      throw new IllegalArgumentException(
          "cluster.heartbeat-timeout-seconds must be 3..600, got " + seconds);
    }
    this.heartbeatTimeoutSeconds = seconds;
    return this;
  }

  public int getMergeCheckSeconds() {
    return mergeCheckSeconds;
  }

  public ClusterOptions setMergeCheckSeconds(int seconds) {
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException(
          "cluster.merge-check-seconds must be 1..3600, got " + seconds);
    }
    this.mergeCheckSeconds = seconds;
    return this;
  }
}
