package io.swarmkeeper.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Torrents made by libtorrent (Debian's python3-libtorrent, which .ci/run installs), and what
 * libtorrent itself reads back from them. Tests that need it are skipped where it is missing,
 * except under CI, where its absence fails them.
 */
final class Libtorrent {
  static final String PYTHON = "/usr/bin/python3";

  /** What libtorrent says of a torrent it made. */
  record Made(byte[] bytes, String v1, String v2, int pieces, long totalSize, int files) {}

  private Libtorrent() {}

  static void assumeInstalled() throws Exception {
    boolean present =
        Files.isExecutable(Path.of(PYTHON))
            && new ProcessBuilder(PYTHON, "-c", "import libtorrent").start().waitFor() == 0;
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI must install python3-libtorrent (see .ci/run)");
    }
    assumeTrue(present, "python3-libtorrent missing: apt-get install python3-libtorrent");
  }

  /** A torrent of {@code content} (a file or a folder) in the given mode: v1, v2 or hybrid. */
  static Made make(String mode, Path content, Path work) throws Exception {
    Path script = work.resolve("make_torrent.py");
    if (!Files.exists(script)) {
      try (InputStream in = Libtorrent.class.getResourceAsStream("/make_torrent.py")) {
        Files.copy(in, script);
      }
    }
    Path out = work.resolve(content.getFileName() + "-" + mode + ".torrent");
    Process p =
        new ProcessBuilder(PYTHON, script.toString(), mode, content.toString(), out.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("make_torrent.py failed: " + output);
    }
    String[] f = output.substring(output.lastIndexOf('\n') + 1).split(" ");
    return new Made(
        Files.readAllBytes(out),
        f[0].equals("-") ? null : f[0],
        f[1].equals("-") ? null : f[1],
        Integer.parseInt(f[2]),
        Long.parseLong(f[3]),
        Integer.parseInt(f[4]));
  }

  /** A folder of files of the given sizes, filled with deterministic bytes. */
  static Path folder(Path work, String name, int... sizes) throws Exception {
    Path dir = Files.createDirectories(work.resolve(name));
    java.util.Random random = new java.util.Random(sizes.length * 31L + name.hashCode());
    for (int i = 0; i < sizes.length; i++) {
      byte[] data = new byte[sizes[i]];
      random.nextBytes(data);
      Files.write(dir.resolve("file" + i + ".bin"), data);
    }
    return dir;
  }
}
