package io.swarmkeeper.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The process's log: one line a record on standard error ({@code 2026-12-01T23:41:32.063+0000
 * [WARN] ConfigLoader - ...}), through java.util.logging behind SLF4J, because its levels can
 * change while running (SIGHUP). Netty and Vert.x log at warn and above.
 */
final class ConsoleLog {
  private static final Map<String, Level> LEVELS =
      Map.of(
          "error", Level.SEVERE,
          "warn", Level.WARNING,
          "info", Level.INFO,
          "debug", Level.FINE,
          "trace", Level.FINEST);

  // Held: java.util.logging keeps loggers only weakly, and a collected one forgets its level.
  private static final Logger OWN = Logger.getLogger("io.swarmkeeper");
  private static final Logger NETTY = Logger.getLogger("io.netty");
  private static final Logger VERTX = Logger.getLogger("io.vertx");
  private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

  /** Flyway's migration steps (eight lines at every start with a database); problems still show. */
  private static final Logger FLYWAY = Logger.getLogger("org.flywaydb");

  /** Hazelcast's member list as it changes: who joined and who left the fleet. */
  private static final Logger MEMBERSHIP =
      Logger.getLogger("com.hazelcast.internal.cluster.ClusterService");

  private ConsoleLog() {}

  static void install() {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Handler handler =
        new StreamHandler(System.err, new OneLine()) {
          @Override
          public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
          }

          @Override
          public synchronized void close() {
            flush(); // the stream is System.err: leave it open for what comes after
          }
        };
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    NETTY.setLevel(Level.WARNING);
    VERTX.setLevel(Level.WARNING);
    HAZELCAST.setLevel(Level.WARNING);
    FLYWAY.setLevel(Level.WARNING);
    MEMBERSHIP.setLevel(Level.INFO);
    setLevel(NodeOptions.DEFAULT_LOG_LEVEL);
  }

  /** Sets swarmkeeper's own level: one of {@link NodeOptions#LOG_LEVELS}. */
  static void setLevel(String level) {
    OWN.setLevel(LEVELS.get(level));
  }

  private static final class OneLine extends Formatter {
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneId.systemDefault());

    @Override
    public String format(LogRecord record) {
      String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
      StringBuilder line =
          new StringBuilder()
              .append(TIME.format(record.getInstant()))
              .append(" [")
              .append(name(record.getLevel()))
              .append("] ")
              .append(logger.substring(logger.lastIndexOf('.') + 1))
              .append(" - ")
              .append(formatMessage(record))
              .append(System.lineSeparator());
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }

    private static String name(Level level) {
      int v = level.intValue();
      if (v >= Level.SEVERE.intValue()) {
        return "ERROR";
      } else if (v >= Level.WARNING.intValue()) {
        return "WARN";
      } else if (v >= Level.INFO.intValue()) {
        return "INFO";
      } else if (v >= Level.FINE.intValue()) {
        return "DEBUG";
      }
      return "TRACE";
    }
  }
}
