package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmkeeper.cluster.ClusterOptions;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: headless Chromium (Debian's, with its chromedriver) driven by
 * Selenium loads the page from a node of a two-member fleet started here, sees the counters and the
 * requests chart move after UDP announces, finds a swarm by info_hash and by magnet link, and shows
 * the other member as gone once it is stopped. Without Chromium the test is skipped, except under
 * CI, where its absence fails it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static SwarmkeeperNode nodeA;
  private static SwarmkeeperNode nodeB;
  private static ChromeDriver browser;
  private static String page;

  @BeforeAll
  static void startFleetAndBrowser() throws Exception {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI must install chromium and chromium-driver (see .ci/run)");
    }
    assumeTrue(installed, "chromium and chromium-driver missing: apt-get install them");
    String cluster = "dashboard-test-" + ProcessHandle.current().pid();
    int portA = freePort();
    int portB = freePort();
    List<String> members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
    nodeA = start(options(cluster, portA, members).setAdmin(admin()));
    nodeB = start(options(cluster, portB, members));
    page = "http://127.0.0.1:" + nodeA.adminPort() + "/";

    ChromeOptions chrome = new ChromeOptions();
    chrome.setBinary(CHROMIUM.toFile());
    chrome.addArguments(
        "--headless=new",
        "--no-sandbox", // root in CI
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1900");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, chrome);
    browser.get(page);
    waitFor(() -> "live".equals(text("connection")), "the page's stream to connect (it says live)");
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    for (SwarmkeeperNode n : new SwarmkeeperNode[] {nodeB, nodeA}) {
      if (n != null) {
        n.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @Order(1)
  void theCountersAndTheRequestsChartMoveAfterAnnounces() throws Exception {
    WebElement chart = browser.findElement(By.id("chart-requests"));
    int pointsBefore = Integer.parseInt(chart.getDomAttribute("data-points"));
    assertThat(text("swarms")).isEqualTo("0");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    // Announces at about 200/s over 40 swarms while the page is watched (at most 60 s).
    Thread load =
        new Thread(
            () -> {
              try (UdpClient client = new UdpClient(nodeA.udpPort(), "127.0.0.5")) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!stop.get() && System.nanoTime() < end) {
                  for (int i = 0; i < 40; i++) {
                    byte[] hash = new byte[20];
                    hash[0] = (byte) 0x77;
                    hash[1] = (byte) i;
                    assertThat(client.announceAction(hash, 6881 + i, 0)).isEqualTo(1);
                  }
                  Thread.sleep(200);
                }
              } catch (Throwable e) {
                failed.set(e);
              }
            });
    load.start();
    try {
      waitFor(
          () -> Double.parseDouble(text("announces").replace(",", "")) > 0,
          "a non-zero announce rate on the page");
      waitFor(
          () -> {
            WebElement c = browser.findElement(By.id("chart-requests"));
            String max = c.getDomAttribute("data-max");
            return Integer.parseInt(c.getDomAttribute("data-points")) > pointsBefore
                && max != null
                && !max.isEmpty()
                && Double.parseDouble(max) > 0;
          },
          "the requests chart to gain points and show UDP announces");
      waitFor(() -> "40".equals(text("swarms")), "40 swarms counted on the page");
      waitFor(() -> "40".equals(text("peers")), "40 peers counted on the page");
      waitFor(
          () ->
              browser.findElements(By.cssSelector("#largest tbody tr[data-info-hash]")).size()
                  == 20,
          "the 20 largest swarms listed");
      screenshot("dashboard.png");
    } finally {
      stop.set(true);
      load.join();
    }
    assertThat(failed.get()).isNull();

    // No client address or peer id in what the page reads.
    String stats = get(DashboardEndpoint.STATS);
    assertThat(stats).doesNotContain("127.0.0.5").doesNotContain("servertest");
    assertThat(browser.getPageSource()).doesNotContain("127.0.0.5");
  }

  @Test
  @Order(2)
  void aSwarmIsFoundByInfoHashAndByMagnetLink() throws Exception {
    byte[] hash = new byte[20];
    for (int i = 0; i < 20; i++) {
      hash[i] = (byte) (0xa0 + i);
    }
    String hex = java.util.HexFormat.of().formatHex(hash);
    try (UdpClient seeder = new UdpClient(nodeA.udpPort(), "127.0.0.6");
        UdpClient leecher = new UdpClient(nodeA.udpPort(), "127.0.0.7")) {
      assertThat(seeder.announceAction(hash, 7001, 0)).isEqualTo(1);
      assertThat(leecher.announceAction(hash, 7002, 500)).isEqualTo(1);
    }
    lookUp(hex.toUpperCase(java.util.Locale.ROOT));
    waitFor(
        () -> "false".equals(result("data-error")) && hex.equals(result("data-info-hash")),
        "the lookup by hex to answer");
    assertThat(result("data-seeders")).isEqualTo("1");
    assertThat(result("data-leechers")).isEqualTo("1");

    lookUp("nothing in particular");
    waitFor(() -> "true".equals(result("data-error")), "an error for a query that names nothing");
    assertThat(browser.findElement(By.id("lookup-result")).getText()).contains("not an info_hash");

    String magnet = "magnet:?xt=urn:btih:" + base32(hash) + "&dn=some+file&tr=udp%3A%2F%2Fx";
    lookUp(magnet);
    waitFor(
        () -> "false".equals(result("data-error")) && hex.equals(result("data-info-hash")),
        "the lookup by magnet link to answer");
    assertThat(result("data-seeders")).isEqualTo("1");
    assertThat(browser.findElement(By.id("lookup-result")).getText()).contains("completed");
  }

  @Test
  @Order(3)
  void aFleetMemberShowsAsGoneWhenItStops() throws Exception {
    String b = nodeB.fleetStore().member().address();
    waitFor(() -> "serving".equals(memberState(b)), "member " + b + " serving on the page");
    nodeB.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    nodeB = null;
    waitFor(() -> "gone".equals(memberState(b)), "member " + b + " shown as gone");
    assertThat(memberState(nodeA.fleetStore().member().address())).isEqualTo("serving");
  }

  private static String memberState(String address) {
    for (WebElement row : browser.findElements(By.cssSelector("#fleet tbody tr"))) {
      if (address.equals(row.getDomAttribute("data-address"))) {
        return row.getDomAttribute("data-state");
      }
    }
    return null;
  }

  private static void lookUp(String query) {
    WebElement input = browser.findElement(By.id("lookup-input"));
    input.clear();
    input.sendKeys(query);
    browser.findElement(By.id("lookup-button")).click();
  }

  private static String result(String attribute) {
    return browser.findElement(By.id("lookup-result")).getDomAttribute(attribute);
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
    new WebDriverWait(browser, WAIT)
        .withMessage(what)
        .ignoring(RuntimeException.class)
        .until(d -> condition.getAsBoolean());
  }

  private static void screenshot(String name) throws IOException {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodeA.adminPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String base32(byte[] bytes) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    long buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((int) (buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    return out.toString();
  }

  private static AdminOptions admin() {
    return new AdminOptions().setHost("127.0.0.1").setPort(0);
  }

  private static NodeOptions options(String cluster, int port, List<String> members) {
    return new NodeOptions()
        .setEventLoops(1)
        .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
        .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(0))
        .setStore("hazelcast")
        .setCluster(
            new ClusterOptions()
                .setName(cluster)
                .setHost("127.0.0.1")
                .setPort(port)
                .setMembers(members));
  }

  private static SwarmkeeperNode start(NodeOptions options) throws Exception {
    return SwarmkeeperNode.start(options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
