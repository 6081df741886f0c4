package io.swarmkeeper.swarm;

/** The bounds check of the swarm module's options classes, naming the key and the value. */
final class OptionRange {
  private OptionRange() {}

  static int check(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " must be " + min + ".." + max + ", got " + value);
    }
    return value;
  }
}
