package io.swarmkeeper.loadtest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The load test's command line: {@code udp} loads a tracker, {@code responder}, {@code bench},
 * {@code fleet} and {@code fleet-leave}.
 */
@Command(
    name = "swarmkeeper-loadtest",
    mixinStandardHelpOptions = true,
    version = "swarmkeeper-loadtest 0.1.0",
    subcommands = {
      LoadTest.Udp.class,
      LoadTest.ResponderCommand.class,
      Bench.class,
      FleetBench.class,
      FleetLeave.class,
      IntervalLoop.class
    },
    description = "Loads any BEP 15 UDP tracker with a realistic swarm population.")
public final class LoadTest implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadTest()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The population and load shape, shared by {@code udp} and {@code bench}. */
  static final class ScenarioOptions {
    @Option(names = "--swarms", description = "Swarms, Zipf popularity (default ${DEFAULT-VALUE}).")
    int swarms = 100_000;

    @Option(names = "--peers", description = "Peers (default ${DEFAULT-VALUE}).")
    int peers = 1_000_000;

    @Option(
        names = "--seeders",
        description = "Share of peers that start as seeders (default ${DEFAULT-VALUE}).")
    double seederFraction = 0.5;

    @Option(names = "--numwant-min", description = "Default ${DEFAULT-VALUE}.")
    int numWantMin = 30;

    @Option(names = "--numwant-max", description = "Default ${DEFAULT-VALUE}.")
    int numWantMax = 50;

    @Option(
        names = "--scrape-share",
        description = "Share of requests that are scrapes (default ${DEFAULT-VALUE}).")
    double scrapeShare = 0.01;

    @Option(
        names = "--scrape-max",
        description = "Most hashes per scrape (default ${DEFAULT-VALUE}).")
    int scrapeMax = 10;

    @Option(
        names = "--sources",
        description =
            "Least source addresses on 127.0.0.0/8 (more when peers need them; default"
                + " ${DEFAULT-VALUE}).")
    int sources = 4;

    @Option(
        names = "--source-base",
        description = "First source address (default ${DEFAULT-VALUE}).")
    String sourceBase = "127.0.0.10";

    @Option(
        names = "--seed",
        description = "Random seed of the population (default ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(
        names = "--url-data",
        paramLabel = "PATH",
        description =
            "BEP 41 URL data on every announce: a private tracker's /PASSKEY/announce (default:"
                + " none).")
    String urlData;

    Scenario scenario() {
      Scenario s =
          new Scenario(
              swarms,
              peers,
              sources,
              seederFraction,
              scrapeShare,
              scrapeMax,
              numWantMin,
              numWantMax,
              seed);
      s.urlData = urlData;
      return s;
    }
  }

  @Command(
      name = "udp",
      mixinStandardHelpOptions = true,
      description = "Load a UDP tracker and report throughput, latency and invalid answers.")
  static final class Udp implements Callable<Integer> {
    @Mixin ScenarioOptions scenario = new ScenarioOptions();

    @Option(
        names = "--tracker",
        split = ",",
        description =
            "host:port, or several comma-separated (the nodes of a fleet): each source address"
                + " sends all its requests to one of them, in turn (default ${DEFAULT-VALUE}).")
    List<String> trackers = List.of("127.0.0.1:6969");

    @Option(names = "--window", description = "Requests in flight (default ${DEFAULT-VALUE}).")
    int window = 64;

    @Option(names = "--duration", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    double duration = 20;

    @Option(
        names = "--warmup",
        description =
            "Seconds before measuring, at least until every peer announced once"
                + " (default ${DEFAULT-VALUE}).")
    double warmup = 5;

    @Option(names = "--timeout-ms", description = "Default ${DEFAULT-VALUE}.")
    int timeoutMillis = 1000;

    @Option(
        names = "--no-populate",
        negatable = true,
        description = "Announce every peer once before measuring (default on).")
    boolean populate = true;

    @Option(
        names = "--closed-loop",
        description = "Clients announce again only after the interval they were given.")
    boolean closedLoop;

    @Option(
        names = "--interval-scale",
        description = "In the closed loop, wait interval x this (default ${DEFAULT-VALUE}).")
    double intervalScale = 1.0;

    @Option(
        names = "--renew-seconds",
        description = "Connection id renewal (default ${DEFAULT-VALUE}).")
    int renewSeconds = 60;

    @Option(
        names = "--rate",
        description =
            "Offer this many requests/s on a schedule (open loop, latency from each request's"
                + " scheduled time); 0 sends as fast as the window is answered (default"
                + " ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--json-only", description = "Print only the JSON line.")
    boolean jsonOnly;

    @Override
    public Integer call() throws Exception {
      Scenario s = scenario.scenario();
      List<InetSocketAddress> targets = new ArrayList<>();
      for (String t : trackers) {
        targets.add(parse(t));
      }
      UdpLoad.Options o = options(targets);
      if (!jsonOnly) {
        UdpLoad.describe(o, s).forEach(System.out::println);
      }
      LoadStats stats = new UdpLoad(o, s).run();
      if (!jsonOnly) {
        System.out.println(stats.summary());
      }
      System.out.println("RESULT " + LoadStats.toJson(stats.toMap()));
      return stats.responses > 0 ? 0 : 1;
    }

    UdpLoad.Options options(List<InetSocketAddress> targets) {
      return new UdpLoad.Options(
          targets,
          window,
          scenario.sources,
          scenario.sourceBase,
          warmup,
          duration,
          timeoutMillis,
          populate,
          closedLoop,
          intervalScale,
          renewSeconds,
          rate);
    }
  }

  @Command(
      name = "responder",
      mixinStandardHelpOptions = true,
      description =
          "A trivial BEP 15 responder (no tracker logic), to check the generator's ceiling.")
  static final class ResponderCommand implements Callable<Integer> {
    @Option(names = "--bind", description = "host:port (default ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1:6970";

    @Override
    public Integer call() throws Exception {
      Responder.runForever(parse(bind));
      return 0;
    }
  }

  static InetSocketAddress parse(String hostPort) throws Exception {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(new LoadTest()), "want host:port, got " + hostPort);
    }
    String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
    return new InetSocketAddress(
        InetAddress.getByName(host), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
