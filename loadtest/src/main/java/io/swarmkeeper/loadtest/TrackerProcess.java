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

/** A tracker under test: a child process pinned to a CPU, its readiness and its memory. */
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
    Process p =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    TrackerProcess t = new TrackerProcess(name, p, address);
    t.awaitConnect(60);
    return t;
  }

  /** Polls with BEP 15 connects until one is answered. */
  private void awaitConnect(int seconds) throws IOException, InterruptedException {
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

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return text;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
