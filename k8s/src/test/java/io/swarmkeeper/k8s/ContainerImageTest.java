package io.swarmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.swarmkeeper.swarm.Bencode;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.testsupport.Eventually;
import io.swarmkeeper.udp.UdpRequest;
import io.swarmkeeper.udp.UdpResponse;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image Jib built (server module, profile {@code image}; scripts/image/check.sh runs
 * this test with {@code -Dswarmkeeper.image=server/target/swarmkeeper-image.tar}): its config is
 * read from the docker-archive (entry point, user, ports, health check, layers), then podman runs
 * it and the tracker inside answers a BEP 15 connect and announce and an HTTP announce on loopback,
 * serves /metrics, and passes its own HEALTHCHECK. Without the property (a plain {@code mvn
 * verify}) it is skipped: building the image needs the base image, which is built outside Maven.
 */
class ContainerImageTest {
  private static final String IMAGE_PROPERTY = "swarmkeeper.image";
  private static final String PODMAN = "/usr/bin/podman";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path K8S = Path.of(System.getProperty("user.dir"));

  /**
   * podman as root on these machines: runc (crun fails on the hybrid cgroups), no raised limits.
   */
  private static final List<String> RUN_FLAGS =
      List.of("--runtime", "runc", "--ulimit", "nofile=1024:20000", "--ulimit", "nproc=4096:4096");

  private static Path tar;
  private static String image;
  private static String container;
  private static int trackerPort;
  private static int adminPort;

  @BeforeAll
  static void loadAndRun() throws Exception {
    String property = System.getProperty(IMAGE_PROPERTY, "");
    assumeTrue(
        !property.isBlank(),
        "no image to check: scripts/image/build.sh --check builds it and runs this test");
    tar = Path.of(property).toAbsolutePath();
    assertThat(tar).as("the image tar named by -D" + IMAGE_PROPERTY).isRegularFile();
    assertThat(Path.of(PODMAN)).as("podman (apt-get install podman runc)").isExecutable();
    String loaded =
        run(Duration.ofMinutes(3), PODMAN, "load", "--quiet", "--input", tar.toString());
    image = loaded.replaceFirst("(?s).*Loaded image(\\(s\\))?: *", "").trim();
    trackerPort = TrackerCalls.freePort();
    adminPort = TrackerCalls.freePort();
    // The pod of k8s/base: its container's arguments and JAVA_OPTS, its ConfigMap as a file.
    Deployment pod = YAML.readValue(K8S.resolve("base/deployment.yaml").toFile(), Deployment.class);
    Container spec = pod.getSpec().getTemplate().getSpec().getContainers().get(0);
    ConfigMap configMap =
        YAML.readValue(K8S.resolve("base/configmap.yaml").toFile(), ConfigMap.class);
    Path config = Files.createTempDirectory("swarmkeeper-config");
    for (Map.Entry<String, String> file : configMap.getData().entrySet()) {
      Files.writeString(config.resolve(file.getKey()), file.getValue());
      config.resolve(file.getKey()).toFile().setReadable(true, false);
    }
    config.toFile().setExecutable(true, false);
    String mount = spec.getVolumeMounts().get(0).getMountPath();
    assertThat(spec.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    List<String> command = new ArrayList<>(List.of(PODMAN, "run", "--detach"));
    command.addAll(RUN_FLAGS);
    command.addAll(
        List.of(
            "--read-only",
            "--tmpfs",
            "/tmp",
            "--cap-drop",
            "all",
            "--security-opt",
            "no-new-privileges",
            "--volume",
            config + ":" + mount + ":ro"));
    for (EnvVar env : spec.getEnv()) {
      command.addAll(List.of("--env", env.getName() + "=" + env.getValue()));
    }
    command.addAll(
        List.of(
            "--publish",
            "127.0.0.1:" + trackerPort + ":6969/udp",
            "--publish",
            "127.0.0.1:" + trackerPort + ":6969/tcp",
            "--publish",
            "127.0.0.1:" + adminPort + ":8080/tcp",
            image));
    command.addAll(spec.getArgs());
    container = run(Duration.ofMinutes(1), command.toArray(String[]::new)).strip();
    container = container.substring(container.lastIndexOf('\n') + 1);
    HttpClient http = HttpClient.newHttpClient();
    Eventually.within(
        60_000, () -> status(http, "http://127.0.0.1:" + adminPort + "/ready") == 200);
  }

  @AfterAll
  static void remove() throws Exception {
    if (container != null) {
      System.out.println(run(Duration.ofMinutes(1), PODMAN, "logs", container));
      run(Duration.ofMinutes(1), PODMAN, "rm", "--force", "--time", "10", container);
    }
    if (image != null) {
      run(Duration.ofMinutes(1), PODMAN, "rmi", "--force", image);
    }
  }

  @Test
  void theImageConfigNamesTheLauncherANonRootUserThePortsAndAHealthCheck() throws Exception {
    JsonNode manifest = JSON.readTree(extract("manifest.json")).get(0);
    JsonNode config = JSON.readTree(extract(manifest.get("Config").asText())).get("config");

    assertThat(texts(config.get("Entrypoint"))).containsExactly("/opt/swarmkeeper/bin/swarmkeeper");
    assertThat(config.get("User").asText()).isEqualTo("10001:10001");
    List<String> ports = new ArrayList<>();
    config.get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertThat(ports).contains("6969/udp", "6969/tcp", "8080/tcp", "5701/tcp");
    assertThat(texts(config.get("Healthcheck").get("Test")))
        .containsExactly("CMD", "/opt/swarmkeeper/bin/swarmkeeper-health");
    assertThat(texts(config.get("Env")))
        .contains("SWARMKEEPER_ADMIN_PORT=8080", "SWARMKEEPER_ADMIN_HOST=0.0.0.0");

    // The base (one layer of Debian with the JRE), then Jib's: dependencies, the project's own
    // modules, resources, classes, the launcher; what changes most often is last and smallest.
    JsonNode image = JSON.readTree(extract(manifest.get("Config").asText()));
    List<String> jibLayers = new ArrayList<>();
    for (JsonNode h : image.get("history")) {
      if ("Jib".equals(h.path("author").asText())) {
        jibLayers.add(h.get("comment").asText());
        assertThat(h.get("created").asText()).as("Jib's fixed timestamp").startsWith("1970-01-01");
      }
    }
    assertThat(jibLayers)
        .containsExactly(
            "dependencies",
            "project dependencies",
            "resources",
            "classes",
            "jvm arg files",
            "extra files");
    assertThat(manifest.get("Layers")).hasSize(1 + jibLayers.size());
  }

  @Test
  void theTrackerInTheContainerAnswersUdpAndHttpAndServesMetrics() throws Exception {
    byte[] hash = new byte[20];
    Arrays.fill(hash, (byte) 0x5a);
    try (DatagramSocket udp = new DatagramSocket()) {
      udp.setSoTimeout(3000);
      InetSocketAddress tracker = new InetSocketAddress("127.0.0.1", trackerPort);
      UdpResponse connected = TrackerCalls.exchange(udp, tracker, new UdpRequest.Connect(11));
      assertThat(connected).isInstanceOf(UdpResponse.Connected.class);
      long connectionId = ((UdpResponse.Connected) connected).connectionId();
      UdpResponse announced =
          TrackerCalls.exchange(
              udp,
              tracker,
              new UdpRequest.Announce(
                  connectionId,
                  12,
                  InfoHash.fromBytes(hash),
                  "-SK0001-imagetest001",
                  0,
                  0,
                  0,
                  2, // started
                  0,
                  1,
                  50,
                  51413,
                  null));
      assertThat(announced).isInstanceOf(UdpResponse.Announced.class);
      UdpResponse.Announced a = (UdpResponse.Announced) announced;
      assertThat(a.transactionId()).isEqualTo(12);
      assertThat(a.intervalSeconds()).isPositive();
      assertThat(a.seeders()).isEqualTo(1); // itself, a seeder (left 0)
    }

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> response =
        TrackerCalls.httpAnnounce(http, trackerPort, hash, "-SK0001-imagetest002", 6881, 1000);
    assertThat(response.statusCode()).isEqualTo(200);
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) Bencode.decode(response.body());
    assertThat(body).containsKeys("interval", "peers").doesNotContainKey("failure reason");
    assertThat(body.get("complete")).isEqualTo(1L);
    // The peer announced over UDP, in the HTTP answer: one store behind both protocols.
    byte[] peers = (byte[]) body.get("peers");
    assertThat(peers).hasSize(6);
    assertThat(((peers[4] & 0xff) << 8) | (peers[5] & 0xff)).isEqualTo(51413);

    String metrics = get(http, "http://127.0.0.1:" + adminPort + "/metrics").body();
    assertThat(metrics)
        .containsPattern("swarmkeeper_requests_total\\{[^}]*protocol=\"udp\"[^}]*} [1-9]")
        .containsPattern("swarmkeeper_requests_total\\{[^}]*protocol=\"http\"[^}]*} [1-9]");
  }

  @Test
  void theHealthCheckPassesAndTheNodeRunsAsThePodSpecSays() throws Exception {
    // podman runs HEALTHCHECKs from a systemd timer, absent here; this runs the same check once.
    assertThat(runStatus(PODMAN, "healthcheck", "run", container)).isZero();
    String user = run(Duration.ofSeconds(30), PODMAN, "exec", container, "id", "-u").strip();
    assertThat(user).isEqualTo("10001");
    String jvm =
        run(Duration.ofSeconds(30), PODMAN, "exec", container, "cat", "/proc/1/cmdline")
            .replace('\0', ' ');
    assertThat(jvm)
        .startsWith("java -XX:+UseG1GC") // the launcher's flags, then the pod's JAVA_OPTS
        .contains("-Xmx1536m", "io.swarmkeeper.server.Main --config /etc/swarmkeeper/");
    assertThat(runStatus(PODMAN, "exec", container, "touch", "/opt/swarmkeeper/x"))
        .as("a read-only root file system")
        .isNotZero();
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The status of a GET, or -1 while nothing answers (the container starting). */
  private static int status(HttpClient http, String url) {
    try {
      return get(http, url).statusCode();
    } catch (Exception notYet) {
      return -1;
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String extract(String entry) throws Exception {
    return run(Duration.ofMinutes(1), "tar", "-xOf", tar.toString(), entry);
  }

  private static int runStatus(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().transferTo(System.out);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return p.exitValue();
  }

  private static String run(Duration limit, String... command) throws Exception {
    Path log = Files.createTempFile("podman", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(log.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + ": no end within " + limit);
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
      return out;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
