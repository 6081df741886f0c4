package io.swarmkeeper.loadtest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The adaptive interval's loop, closed with clients that obey it: a swarmkeeper process with a
 * small capacity, a closed-loop population offering about 3 x that at the minimum interval, and the
 * node's own meters read every second. Writes a CSV and a PNG chart of offered rate and interval
 * over time.
 */
@Command(
    name = "interval-loop",
    mixinStandardHelpOptions = true,
    description =
        "Closed-loop clients against one swarmkeeper with a small interval.capacity: the offered"
            + " rate and the interval handed out, second by second (CSV and PNG).")
final class IntervalLoop implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--swarmkeeper-jar", description = "Default ${DEFAULT-VALUE}.")
  String jar = "server/target/swarmkeeper.jar";

  @Option(names = "--tracker-cpu", description = "Default ${DEFAULT-VALUE}.")
  int trackerCpu = 0;

  @Option(
      names = "--min-seconds",
      description = "Interval at normal load (default ${DEFAULT-VALUE}).")
  int minSeconds = 10;

  @Option(names = "--max-seconds", description = "Default ${DEFAULT-VALUE}.")
  int maxSeconds = 120;

  @Option(names = "--capacity", description = "Requests/s (default ${DEFAULT-VALUE}).")
  int capacity = 2000;

  @Option(names = "--peers", description = "Default ${DEFAULT-VALUE}: 3 x capacity at the minimum.")
  int peers = 60_000;

  @Option(names = "--swarms", description = "Default ${DEFAULT-VALUE}.")
  int swarms = 2000;

  @Option(names = "--duration", description = "Seconds (default ${DEFAULT-VALUE}).")
  int duration = 300;

  @Option(
      names = "--port",
      description = "UDP port; the admin port is this + 1 (default ${DEFAULT-VALUE}).")
  int port = 6979;

  @Option(names = "--out", description = "Results folder (default ${DEFAULT-VALUE}).")
  Path out = Path.of("loadtest/results");

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "taskset",
                "-c",
                Integer.toString(trackerCpu),
                "java",
                "-Xmx512m",
                "-jar",
                Path.of(jar).toAbsolutePath().toString(),
                "--host",
                "127.0.0.1",
                "--udp-port",
                Integer.toString(port),
                "--http-port",
                "-1",
                "--admin-port",
                Integer.toString(port + 1),
                "--event-loops",
                "1",
                "--interval",
                Integer.toString(minSeconds),
                "--set",
                "interval.max-seconds=" + maxSeconds,
                "--set",
                "interval.capacity=" + capacity,
                "--set",
                "interval.smoothing-seconds=" + Math.max(1, minSeconds / 2)));
    cmd.addAll(Bench.NO_STATE_LIMITS);
    Scenario scenario = new Scenario(swarms, peers, 4, 0.5, 0, 5, 30, 50, 1);
    List<double[]> rows = new ArrayList<>(); // second, offered/s, interval, smoothed rate
    try (TrackerProcess t =
        TrackerProcess.start("swarmkeeper", cmd, out, out.resolve("interval-loop.log"), address)) {
      UdpLoad.Options o =
          new UdpLoad.Options(
              List.of(address), 256, 4, "127.0.0.20", 0, duration, 2000, true, true, 1.0, 60, 0);
      CompletableFuture<LoadStats> run =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new UdpLoad(o, scenario).run();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      HttpClient http = HttpClient.newHttpClient();
      URI metrics = URI.create("http://127.0.0.1:" + (port + 1) + "/metrics");
      long start = System.nanoTime();
      double last = Double.NaN;
      while (!run.isDone()) {
        Thread.sleep(1000);
        String text =
            http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        double total = sum(text, "swarmkeeper_requests_total{");
        double second = (System.nanoTime() - start) / 1e9;
        if (!Double.isNaN(last)) {
          rows.add(
              new double[] {
                second,
                total - last,
                sum(text, "swarmkeeper_announce_interval_seconds "),
                sum(text, "swarmkeeper_interval_request_rate ")
              });
        }
        last = total;
      }
      run.get(10, TimeUnit.SECONDS);
    }
    write(rows);
    return 0;
  }

  /** The sum of the samples whose line starts with {@code prefix}. */
  static double sum(String text, String prefix) {
    double s = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix)) {
        s += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return s;
  }

  private void write(List<double[]> rows) throws Exception {
    StringBuilder csv = new StringBuilder("second,offered_per_s,interval_s,smoothed_rate\n");
    for (double[] r : rows) {
      csv.append(String.format(Locale.ROOT, "%.1f,%.0f,%.0f,%.0f%n", r[0], r[1], r[2], r[3]));
    }
    Files.writeString(out.resolve("interval-loop.csv"), csv);
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(500)
            .title(
                String.format(
                    Locale.ROOT,
                    "%,d clients obeying the interval, capacity %,d requests/s",
                    peers,
                    capacity))
            .xAxisTitle("seconds")
            .yAxisTitle("requests per second")
            .build();
    double[] x = rows.stream().mapToDouble(r -> r[0]).toArray();
    chart.addSeries("offered (requests/s)", x, rows.stream().mapToDouble(r -> r[1]).toArray());
    chart.addSeries(
        "smoothed rate the node sees", x, rows.stream().mapToDouble(r -> r[3]).toArray());
    double[] cap = new double[x.length];
    java.util.Arrays.fill(cap, capacity);
    chart.addSeries("capacity", x, cap);
    XYSeries interval =
        chart.addSeries(
            "interval handed out (s)", x, rows.stream().mapToDouble(r -> r[2]).toArray());
    interval.setYAxisGroup(1);
    chart.setYAxisGroupTitle(1, "interval (s)");
    chart.getStyler().setYAxisMin(0, 0.0);
    chart.getStyler().setYAxisMin(1, 0.0);
    BitmapEncoder.saveBitmap(
        chart, out.resolve("interval-loop.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    int n = rows.size();
    double lastThird =
        rows.subList(2 * n / 3, n).stream().mapToDouble(r -> r[1]).average().orElse(0);
    double first =
        rows.subList(0, Math.min(10, n)).stream().mapToDouble(r -> r[1]).average().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "offered in the first 10 s: %.0f/s; in the last third: %.0f/s (capacity %d); interval at"
            + " the end %.0f s%n",
        first,
        lastThird,
        capacity,
        rows.get(n - 1)[2]);
  }
}
