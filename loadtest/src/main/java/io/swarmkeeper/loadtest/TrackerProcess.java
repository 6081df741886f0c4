package io.swarmkeeper.loadtest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.swarmkeeper.udp.UdpCodec;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tracker under test: a child process pinned to a CPU, its readiness, its memory and its CPU
 * time.
 */
final class TrackerProcess implements AutoCloseable {
  final String name;
  final Process process;
  final InetSocketAddress address;

  private TrackerProcess(String name, Process process, InetSocketAddress address) {
    this.name = name;
    this.process = process;
    this.address = address;
  }

  static TrackerProcess start(
      String name, List<String> command, Path workDir, Path log, InetSocketAddress address)
      throws IOException, InterruptedException {
    TrackerProcess t = launch(name, command, workDir, log, address);
    try {
      t.awaitConnect(60);
    } catch (IOException | RuntimeException e) {
      t.kill();
      throw e;
    }
    return t;
  }

  /** Starts the process without waiting for it to answer (members of a fleet start together). */
  static TrackerProcess launch(
      String name, List<String> command, Path workDir, Path log, InetSocketAddress address)
      throws IOException {
    Process p =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new TrackerProcess(name, p, address);
  }

  /** Polls with BEP 15 connects until one is answered. */
  void awaitConnect(int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(200);
      ByteBuf request = Unpooled.buffer(UdpCodec.HEADER_SIZE);
      UdpCodec.writeConnectRequest(request, 1);
      byte[] connect = ByteBufUtil.getBytes(request);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException(name + " exited with " + process.exitValue() + " before answering");
        }
        s.send(new DatagramPacket(connect, connect.length, address));
        try {
          s.receive(new DatagramPacket(new byte[64], 64));
          return;
        } catch (SocketTimeoutException e) {
          // not up yet
        }
      }
    }
    throw new IOException(name + " did not answer a connect within " + seconds + " s");
  }

  /** A field of /proc/PID/status in KiB (VmRSS, VmHWM). */
  long statusKib(String field) throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /**
   * For a JVM: heap in use right after a full GC (jcmd GC.run, then GC.heap_info), in KiB; -1 for
   * anything else.
   */
  long heapUsedAfterGcKib() throws IOException, InterruptedException {
    String pid = Long.toString(process.pid());
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    if (!run(jcmd, pid, "GC.run").contains("Command executed successfully")) {
      return -1;
    }
    long used = 0;
    for (String line : run(jcmd, pid, "GC.heap_info").split("\n")) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("^ \\S.*total \\d+K, used (\\d+)K").matcher(line);
      if (m.find() && !line.contains("Metaspace")) {
        used += Long.parseLong(m.group(1));
      }
    }
    return used;
  }

  /** User and system CPU time of the process so far, all its threads, in clock ticks. */
  long cpuTicks() throws IOException {
    return cpuTicks(Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")));
  }

  /**
   * utime + stime of a /proc/PID/stat line: fields 14 and 15, counted after the command name, which
   * is in parentheses and may itself hold spaces and parentheses.
   */
  static long cpuTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // f[0] is field 3 (state): field n is f[n - 3].
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The kernel's clock ticks per second (USER_HZ), the unit of {@link #cpuTicks()}. */
  static final long TICKS_PER_SECOND = ticksPerSecond();

  private static long ticksPerSecond() {
    try {
      return Long.parseLong(run("getconf", "CLK_TCK").trim());
    } catch (IOException | RuntimeException e) {
      return 100; // USER_HZ on every Linux architecture Java runs on
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return text;
  }

  /** Ends it at once (SIGKILL): a benchmark's teardown, where a graceful leave would only wait. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
