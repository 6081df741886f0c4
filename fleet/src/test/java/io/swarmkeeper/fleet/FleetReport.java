package io.swarmkeeper.fleet;

/**
 * Figures a fleet test measured, printed one a line under a prefix that a reader of the build's
 * output can grep for.
 */
final class FleetReport {
  static final String PREFIX = "FLEET-REPORT";

  private FleetReport() {}

  static void line(String format, Object... args) {
    System.out.println(PREFIX + " " + String.format(java.util.Locale.ROOT, format, args));
  }
}
