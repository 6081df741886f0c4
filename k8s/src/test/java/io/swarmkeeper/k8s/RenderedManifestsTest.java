package io.swarmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.swarmkeeper.server.ConfigLoader;
import io.swarmkeeper.server.NodeOptions;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every overlay rendered by {@code kubectl kustomize} (on the machine image), every object read
 * into the fabric8 Kubernetes model classes, failing on a wrong type or an unknown field, and the
 * points an operator relies on checked: the tracker's UDP and TCP port with the client's address
 * kept, probes, the disruption budget, discovery, the security context; and every shipped config
 * file loaded by the node's own loader. No cluster can run here: a schema check and these
 * assertions are what is verified.
 */
class RenderedManifestsTest {
  private static final Path K8S = Path.of(System.getProperty("user.dir"));
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.ofEntries(
          Map.entry("Deployment", Deployment.class),
          Map.entry("Service", Service.class),
          Map.entry("ConfigMap", ConfigMap.class),
          Map.entry("ServiceAccount", ServiceAccount.class),
          Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("NetworkPolicy", NetworkPolicy.class),
          Map.entry("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("Role", Role.class),
          Map.entry("RoleBinding", RoleBinding.class),
          Map.entry("ServiceMonitor", ServiceMonitor.class),
          Map.entry("PrometheusRule", PrometheusRule.class));

  @TempDir Path tmp;

  @Test
  void singleIsOneTrackerWithTheMemoryStoreBehindALoadBalancerThatKeepsClientAddresses()
      throws Exception {
    List<HasMetadata> objects = render(K8S.resolve("overlays/single"));
    Deployment d = one(objects, Deployment.class, "swarmkeeper");
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    checkTracker(d);
    checkPublicService(one(objects, Service.class, "swarmkeeper"));
    assertThat(one(objects, Service.class, "swarmkeeper-admin").getSpec().getType())
        .isEqualTo("ClusterIP");
    assertThat(
            one(objects, PodDisruptionBudget.class, "swarmkeeper")
                .getSpec()
                .getMaxUnavailable()
                .getIntVal())
        .isEqualTo(1);
    NodeOptions options = config(one(objects, ConfigMap.class, "swarmkeeper"));
    assertThat(options.getStore()).isEqualTo("memory");
    assertThat(options.getAdmin().getPort()).isEqualTo(8080);
    checkNetworkPolicy(one(objects, NetworkPolicy.class, "swarmkeeper"));
  }

  @Test
  void fleetIsThreeOrMoreMembersFoundByDnsThroughAHeadlessService() throws Exception {
    List<HasMetadata> objects = render(K8S.resolve("overlays/fleet"));
    assertThat(objects)
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("swarmkeeper"));
    Deployment d = one(objects, Deployment.class, "swarmkeeper");
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    checkTracker(d);
    assertThat(ports(tracker(d))).contains("TCP/5701");
    Service cluster = one(objects, Service.class, "swarmkeeper-cluster");
    assertThat(cluster.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(cluster.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(cluster.getSpec().getSelector())
        .isEqualTo(d.getSpec().getSelector().getMatchLabels());
    NodeOptions options = config(one(objects, ConfigMap.class, "swarmkeeper"));
    assertThat(options.getStore()).isEqualTo("hazelcast");
    assertThat(options.getCluster().getKubernetesServiceDns())
        .isEqualTo("swarmkeeper-cluster.swarmkeeper.svc.cluster.local");
    HorizontalPodAutoscaler hpa = one(objects, HorizontalPodAutoscaler.class, "swarmkeeper");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("swarmkeeper");
    // DNS mode needs no API access: no token is mounted.
    assertThat(one(objects, ServiceAccount.class, "swarmkeeper").getAutomountServiceAccountToken())
        .isFalse();
    assertThat(objects).noneMatch(o -> o instanceof Role);
  }

  @Test
  void apiModeReadsEndpointsWithARoleOfItsOwn() throws Exception {
    List<HasMetadata> objects = render(K8S.resolve("overlays/api"));
    NodeOptions options = config(one(objects, ConfigMap.class, "swarmkeeper"));
    assertThat(options.getCluster().getKubernetesServiceName()).isEqualTo("swarmkeeper-cluster");
    assertThat(options.getCluster().getKubernetesServiceDns()).isEmpty();
    Role role = one(objects, Role.class, "swarmkeeper-discovery");
    assertThat(role.getRules().get(0).getResources()).contains("endpoints", "pods");
    assertThat(role.getRules().get(0).getVerbs()).containsExactlyInAnyOrder("get", "list");
    RoleBinding binding = one(objects, RoleBinding.class, "swarmkeeper-discovery");
    assertThat(binding.getSubjects().get(0).getName()).isEqualTo("swarmkeeper");
    assertThat(one(objects, ServiceAccount.class, "swarmkeeper").getAutomountServiceAccountToken())
        .isTrue();
  }

  @Test
  void theRedisAndPostgresComponentsWireExistingServicesBySecret() throws Exception {
    // Kustomize takes only relative paths: the kustomization goes beside the module's sources.
    Path dir = K8S.resolve("target/with-components");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
            + "  - ../../overlays/single\ncomponents:\n  - ../../components/redis\n"
            + "  - ../../components/postgres\n");
    Deployment d = one(render(dir), Deployment.class, "swarmkeeper");
    Map<String, EnvVar> env =
        tracker(d).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("SWARMKEEPER_STORE").getValue()).isEqualTo("redis");
    assertThat(env.get("SWARMKEEPER_REDIS_URL").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("swarmkeeper-redis");
    assertThat(env.get("SWARMKEEPER_DATABASE_URL").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("swarmkeeper-postgres");
    // Those variable names are the node's own keys.
    assertThat(ConfigLoader.envName("redis.url")).isEqualTo("SWARMKEEPER_REDIS_URL");
    assertThat(ConfigLoader.envName("database.url")).isEqualTo("SWARMKEEPER_DATABASE_URL");
    assertThat(ConfigLoader.envName("store")).isEqualTo("SWARMKEEPER_STORE");
  }

  @Test
  void theMonitoringComponentScrapesEveryAdminPortAndCarriesTheAlertRules() throws Exception {
    Path dir = K8S.resolve("target/with-monitoring");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
            + "  - ../../overlays/fleet\nnamespace: swarmkeeper\n"
            + "components:\n  - ../../components/monitoring\n");
    List<HasMetadata> objects = render(dir);
    ServiceMonitor monitor = one(objects, ServiceMonitor.class, "swarmkeeper");
    Service admin = one(objects, Service.class, "swarmkeeper-admin");
    assertThat(admin.getMetadata().getLabels())
        .containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels())
        // job="swarmkeeper", the job the alert rules and the dashboard name
        .containsEntry(monitor.getSpec().getJobLabel(), "swarmkeeper");
    assertThat(monitor.getMetadata().getNamespace()).isEqualTo(admin.getMetadata().getNamespace());
    assertThat(monitor.getSpec().getEndpoints())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getPort()).isEqualTo(admin.getSpec().getPorts().get(0).getName());
              assertThat(e.getPath()).isEqualTo("/metrics");
            });
    // The Service's target port is the container's admin port, where /metrics is served.
    assertThat(admin.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("admin");

    // The PrometheusRule's spec is alerts.rules.yaml: one set of alerts, two packagings.
    PrometheusRule rule = one(objects, PrometheusRule.class, "swarmkeeper");
    JsonNode shipped = YAML.readTree(K8S.resolve("monitoring/alerts.rules.yaml").toFile());
    assertThat(YAML.valueToTree(rule.getSpec()).equals(shipped))
        .as("components/monitoring/prometheusrule.yaml's spec equals monitoring/alerts.rules.yaml")
        .isTrue();
    assertThat(shipped.get("groups").get(0).get("rules")).hasSize(8);
  }

  @Test
  void aMisspeltFieldOrAWrongTypeFailsTheCheck() throws Exception {
    Path dir = K8S.resolve("target/misspelt");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
            + "  - ../../overlays/single\npatches:\n  - patch: |-\n"
            + "      apiVersion: v1\n      kind: Service\n      metadata:\n"
            + "        name: swarmkeeper\n      spec:\n        externalTraficPolicy: Local\n");
    assertThatThrownBy(() -> render(dir))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("unknown fields in Service")
        .hasMessageContaining("externalTraficPolicy");
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
            + "  - ../../overlays/single\npatches:\n  - patch: |-\n"
            + "      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n"
            + "        name: swarmkeeper\n      spec:\n        replicas: three\n");
    assertThatThrownBy(() -> render(dir))
        .isInstanceOf(com.fasterxml.jackson.databind.JsonMappingException.class);
  }

  private static void checkTracker(Deployment d) {
    var pod = d.getSpec().getTemplate().getSpec();
    Container c = tracker(d);
    assertThat(ports(c)).contains("UDP/6969", "TCP/6969", "TCP/8080");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
    assertThat(c.getLifecycle().getPreStop()).isNotNull();
    assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds()).isPositive();
    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(60L);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(pod.getEnableServiceLinks()).isFalse();
    assertThat(c.getArgs()).containsExactly("--config", "/etc/swarmkeeper/swarmkeeper.yaml");
    assertThat(pod.getTopologySpreadConstraints())
        .extracting(t -> t.getTopologyKey())
        .contains("kubernetes.io/hostname", "topology.kubernetes.io/zone");
  }

  private static void checkPublicService(Service s) {
    assertThat(s.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(s.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    assertThat(s.getSpec().getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort())
        .containsExactlyInAnyOrder("UDP/6969", "TCP/6969");
  }

  private static void checkNetworkPolicy(NetworkPolicy p) {
    // The tracker port from anywhere; admin and cluster ports from this namespace only.
    var open = p.getSpec().getIngress().get(0);
    assertThat(open.getFrom()).isNullOrEmpty();
    assertThat(open.getPorts()).extracting(x -> x.getPort().getIntVal()).containsOnly(6969);
    var inside = p.getSpec().getIngress().get(1);
    assertThat(inside.getFrom()).hasSize(1);
    assertThat(inside.getFrom().get(0).getNamespaceSelector()).isNull();
    assertThat(inside.getPorts()).extracting(x -> x.getPort().getIntVal()).contains(8080, 5701);
  }

  private static Container tracker(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static List<String> ports(Container c) {
    return c.getPorts().stream().map(p -> p.getProtocol() + "/" + p.getContainerPort()).toList();
  }

  /** The node's configuration file from the ConfigMap, loaded as the node loads it. */
  private NodeOptions config(ConfigMap map) throws IOException {
    Path file = tmp.resolve("swarmkeeper-" + System.nanoTime() + ".yaml");
    Files.writeString(file, map.getData().get("swarmkeeper.yaml"));
    return ConfigLoader.load(file, Map.of(), Map.of());
  }

  private static <T extends HasMetadata> T one(
      List<HasMetadata> objects, Class<T> kind, String name) {
    List<T> found =
        objects.stream()
            .filter(kind::isInstance)
            .map(kind::cast)
            .filter(o -> o.getMetadata().getName().equals(name))
            .toList();
    assertThat(found).as(kind.getSimpleName() + " " + name).hasSize(1);
    return found.get(0);
  }

  /**
   * kubectl kustomize DIR, each object read into its model class and checked for unknown fields.
   */
  private static List<HasMetadata> render(Path dir) throws Exception {
    boolean kubectl = Files.isExecutable(Path.of("/usr/bin/kubectl"));
    assumeTrue(kubectl, "kubectl (with kustomize) is not on this machine");
    Process p =
        new ProcessBuilder(
                "/usr/bin/kubectl",
                "kustomize",
                "--load-restrictor",
                "LoadRestrictionsNone",
                dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<HasMetadata> objects = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(out)) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        String kind = doc.get("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(kind);
        assertThat(type).as("a model class for kind " + kind).isNotNull();
        HasMetadata o = YAML.treeToValue(doc, type);
        assertNoUnknownFields(o, kind, new IdentityHashMap<>());
        objects.add(o);
      }
    }
    assertThat(objects).isNotEmpty();
    return objects;
  }

  /**
   * The model classes keep fields they do not know in additionalProperties instead of failing: a
   * misspelt or misplaced field shows there.
   */
  private static void assertNoUnknownFields(Object o, String path, Map<Object, Boolean> seen)
      throws Exception {
    if (o == null || seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      for (Object e : c) {
        assertNoUnknownFields(e, path + "[]", seen);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        assertNoUnknownFields(e.getValue(), path + "." + e.getKey(), seen);
      }
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || !m.getName().startsWith("get")
          || m.getName().equals("getClass")) {
        continue;
      }
      Object v = m.invoke(o);
      if (m.getName().equals("getAdditionalProperties")) {
        assertThat((Map<?, ?>) v).as("unknown fields in " + path).isNullOrEmpty();
      } else {
        assertNoUnknownFields(v, path + "." + m.getName().substring(3), seen);
      }
    }
  }
}
