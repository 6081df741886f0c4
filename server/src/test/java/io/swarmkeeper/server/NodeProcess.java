package io.swarmkeeper.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real command line in a JVM of its own, with its output read line by line. */
final class NodeProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("listening on udp 127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
  private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;

  private NodeProcess(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  all.add(line);
                  unread.add(line);
                }
              } catch (Exception ignored) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcess launch(String... args) throws Exception {
    return launch(List.of(), args);
  }

  static NodeProcess launch(List<String> jvmOptions, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    return start(cmd, Map.of());
  }

  /**
   * Any command (the launcher), without the SWARMKEEPER_ variables of this environment but with
   * {@code env}.
   */
  static NodeProcess start(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith(ConfigLoader.ENV_PREFIX));
    builder.environment().putAll(env);
    return new NodeProcess(builder.start());
  }

  /** The next line matching, or null after the timeout. */
  Matcher await(Pattern pattern, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = unread.poll(200, TimeUnit.MILLISECONDS);
      if (line != null) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
    }
    return null;
  }

  /** The UDP port of the start line (the node listening on 127.0.0.1). */
  int awaitUdpPort() throws InterruptedException {
    Matcher m = await(LISTENING, 30);
    if (m == null) {
      throw new AssertionError("no start line; output:\n" + output());
    }
    return Integer.parseInt(m.group(1));
  }

  void signal(String name) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
  }

  /** Several signals microseconds apart (one shell, its builtin kill), as a double Ctrl-C is. */
  void signalBurst(String... names) throws Exception {
    StringBuilder script = new StringBuilder();
    for (String name : names) {
      script.append("kill -").append(name).append(' ').append(process.pid()).append("; ");
    }
    new ProcessBuilder("sh", "-c", script.toString()).start().waitFor();
  }

  /** Whether it ended within the time, its output then read to the end. */
  boolean waitFor(int seconds) throws Exception {
    boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
    if (ended) {
      reader.join(5000);
    }
    return ended;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  String output() {
    synchronized (all) {
      return String.join("\n", all);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
