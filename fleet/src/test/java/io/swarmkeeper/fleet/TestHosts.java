package io.swarmkeeper.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hosts on this machine: one network namespace each, with two links. The cluster link joins a
 * bridge that carries only the members' own traffic, and is the link a test cuts; the client link
 * joins a second bridge that the root namespace is on too, so that the test's clients keep reaching
 * both sides of a split, as a tracker's clients on the internet reach both halves of a split
 * datacentre.
 */
final class TestHosts implements AutoCloseable {
  private static final String CLUSTER_NET = "10.213.";
  private static final String CLIENT_NET = "10.214.";

  private final String ip;
  private final String id;
  private final int count;
  private final int subnet;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> links = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private TestHosts(String ip, String id, int count, int subnet) {
    this.ip = ip;
    this.id = id;
    this.count = count;
    this.subnet = subnet;
  }

  /** Why hosts cannot be made here, or null when they can. */
  static String unavailable() {
    if (ipCommand() == null) {
      return "the ip command (iproute2) is not installed";
    }
    try {
      Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      return uid.equals("0") ? null : "not root (uid " + uid + "): network namespaces need root";
    } catch (IOException e) {
      return "cannot tell the user id: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String ipCommand() {
    List<String> dirs = new ArrayList<>(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(0, List.of(path.split(":")));
    }
    for (String dir : dirs) {
      Path candidate = Path.of(dir, "ip");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /**
   * Makes {@code count} hosts; names and subnets carry this process's id, so that runs side by side
   * never meet. Removed by {@link #close()}, also when the JVM exits without it.
   */
  static TestHosts create(int count) throws Exception {
    String ip = ipCommand();
    long pid = ProcessHandle.current().pid();
    String inUse = run(ip, "-o", "addr") + run(ip, "route");
    int subnet = -1;
    for (int i = 0; i < 250 && subnet < 0; i++) {
      int candidate = 1 + (int) ((pid + i) % 250);
      if (!inUse.contains(CLUSTER_NET + candidate + ".")
          && !inUse.contains(CLIENT_NET + candidate + ".")) {
        subnet = candidate;
      }
    }
    if (subnet < 0) {
      throw new IllegalStateException("no free 10.213.X.0/24 and 10.214.X.0/24 subnets");
    }
    TestHosts hosts = new TestHosts(ip, "sk" + pid, count, subnet);
    Thread cleanup = new Thread(hosts::close, "test-hosts-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      hosts.build();
    } catch (Exception e) {
      hosts.close();
      throw e;
    }
    return hosts;
  }

  private void build() throws IOException {
    String clusterBridge = id + "c";
    String clientBridge = id + "n";
    link(clusterBridge, "type", "bridge");
    ip("link", "set", clusterBridge, "up");
    link(clientBridge, "type", "bridge");
    ip("addr", "add", CLIENT_NET + subnet + ".254/24", "dev", clientBridge);
    ip("link", "set", clientBridge, "up");
    for (int i = 1; i <= count; i++) {
      String ns = namespace(i);
      ip("netns", "add", ns);
      namespaces.add(ns);
      ip("-n", ns, "link", "set", "lo", "up");
      attach(ns, clusterLink(i), "cl0", clusterBridge, clusterAddress(i));
      attach(ns, id + "n" + i, "net0", clientBridge, clientAddress(i));
    }
  }

  private void attach(String ns, String rootSide, String inside, String bridge, String address)
      throws IOException {
    link(rootSide, "type", "veth", "peer", "name", inside, "netns", ns);
    ip("link", "set", rootSide, "master", bridge, "up");
    ip("-n", ns, "addr", "add", address + "/24", "dev", inside);
    ip("-n", ns, "link", "set", inside, "up");
  }

  private void link(String name, String... spec) throws IOException {
    List<String> args = new ArrayList<>(List.of("link", "add", name));
    args.addAll(List.of(spec));
    links.add(name);
    ip(args.toArray(String[]::new));
  }

  String namespace(int host) {
    return "skn-" + id.substring(2) + "-" + host;
  }

  /** The host's address on the cluster bridge (its members' traffic). */
  String clusterAddress(int host) {
    return CLUSTER_NET + subnet + "." + host;
  }

  /** The host's address on the client bridge, which the root namespace reaches. */
  String clientAddress(int host) {
    return CLIENT_NET + subnet + "." + host;
  }

  private String clusterLink(int host) {
    return id + "c" + host;
  }

  /** The command that runs {@code command} inside the host's namespace. */
  List<String> inside(int host, List<String> command) {
    List<String> all = new ArrayList<>(List.of(ip, "netns", "exec", namespace(host)));
    all.addAll(command);
    return all;
  }

  /** Cuts the host's cluster link (the bridge side goes down): it no longer meets the others. */
  void cut(int host) throws IOException {
    ip("link", "set", clusterLink(host), "down");
  }

  void heal(int host) throws IOException {
    ip("link", "set", clusterLink(host), "up");
  }

  private void ip(String... args) throws IOException {
    String[] all = new String[args.length + 1];
    all[0] = ip;
    System.arraycopy(args, 0, all, 1, args.length);
    run(all);
  }

  private static String run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not end in 20 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + out.trim());
      }
      return out;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }

  /**
   * Removes the namespaces (which takes their veth pairs with them) and the bridges; the processes
   * inside must have ended first, or a namespace outlives its name. Throws when something stays.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (String ns : namespaces) {
      quietly(ip, "netns", "del", ns);
    }
    for (String link : links) {
      quietly(ip, "link", "del", link);
    }
    List<String> left = new ArrayList<>();
    try {
      String netns = run(ip, "netns", "list");
      String allLinks = run(ip, "-o", "link");
      for (String ns : namespaces) {
        if (netns.contains(ns)) {
          left.add("namespace " + ns);
        }
      }
      for (String link : links) {
        if (allLinks.contains(" " + link + ":") || allLinks.contains(" " + link + "@")) {
          left.add("link " + link);
        }
      }
    } catch (IOException e) {
      left.add("cannot list what is left: " + e.getMessage());
    }
    if (!left.isEmpty()) {
      throw new IllegalStateException("test hosts not removed: " + left);
    }
  }

  private static void quietly(String... command) {
    try {
      run(command);
    } catch (IOException e) {
      // already gone: the namespace took it with it
    }
  }
}
