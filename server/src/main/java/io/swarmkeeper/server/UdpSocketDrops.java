package io.swarmkeeper.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Datagrams the kernel dropped on this node's UDP port because its sockets' receive buffers were
 * full: the requests a saturated node never saw. Read from {@code /proc/net/udp} and {@code
 * /proc/net/udp6} (the last column of each socket bound to the port); 0 where those do not exist.
 * The interval policy adds them to the requests it counts, so that what it measures is what clients
 * offered, not only what the node managed to read.
 */
final class UdpSocketDrops implements LongSupplier {
  private static final Path[] TABLES = {Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")};

  private final int port;

  UdpSocketDrops(int port) {
    this.port = port;
  }

  @Override
  public long getAsLong() {
    long drops = 0;
    for (Path table : TABLES) {
      try {
        drops += dropsOn(Files.readString(table), port);
      } catch (IOException | RuntimeException e) {
        // no such table here (not Linux, no IPv6): nothing dropped that can be seen
      }
    }
    return drops;
  }

  /** The drops of the sockets in a {@code /proc/net/udp}-format table bound to {@code port}. */
  static long dropsOn(String table, int port) {
    String suffix = String.format(":%04X", port);
    long drops = 0;
    String[] lines = table.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].trim().split("\\s+");
      if (f.length >= 13 && f[1].endsWith(suffix)) {
        drops += Long.parseLong(f[f.length - 1]);
      }
    }
    return drops;
  }
}
