package io.swarmkeeper.registry;

/** A file that is not a valid torrent; the message names what is wrong, for the publisher. */
public final class InvalidTorrentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidTorrentException(String message) {
    super(message);
  }
}
