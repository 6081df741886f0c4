package io.swarmkeeper.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The simulated world: swarms with Zipf popularity and peers, each in one swarm, with a lifecycle
 * (new, leecher, seeder). Peer {@code p} sends from source address {@code p % sources} with port
 * {@code FIRST_PORT + p / sources}, so a million peers fit on a few loopback addresses.
 */
final class Scenario {
  static final int FIRST_PORT = 1024;
  static final int MAX_PEERS_PER_SOURCE = 65535 - FIRST_PORT;
  static final byte NEW = 0;
  static final byte LEECHER = 1;
  static final byte SEEDER = 2;

  final int swarms;
  final int peers;
  final int sources;
  final double seederFraction;
  final double scrapeShare;
  final int maxScrapeHashes;
  final int numWantMin;
  final int numWantMax;
  final double completeChance;
  final double stopChance;
  private final byte[] infoHashes;
  private final int[] swarmOfPeer;
  final byte[] state;
  private final Zipf zipf;

  /** BEP 41 URL data every announce carries (a private tracker's /PASSKEY/announce), or null. */
  String urlData;

  Scenario(
      int swarms,
      int peers,
      int minSources,
      double seederFraction,
      double scrapeShare,
      int maxScrapeHashes,
      int numWantMin,
      int numWantMax,
      long seed) {
    if (swarms < 1 || peers < 1) {
      throw new IllegalArgumentException("swarms and peers must be >= 1");
    }
    if (numWantMin < -1 || numWantMax < numWantMin) {
      throw new IllegalArgumentException("numwant range " + numWantMin + ".." + numWantMax);
    }
    this.swarms = swarms;
    this.peers = peers;
    this.sources = Math.max(minSources, (peers + MAX_PEERS_PER_SOURCE - 1) / MAX_PEERS_PER_SOURCE);
    this.seederFraction = seederFraction;
    this.scrapeShare = scrapeShare;
    this.maxScrapeHashes = maxScrapeHashes;
    this.numWantMin = numWantMin;
    this.numWantMax = numWantMax;
    this.completeChance = 0.02;
    this.stopChance = 0.01;
    SplittableRandom random = new SplittableRandom(seed);
    infoHashes = new byte[swarms * 20];
    for (int i = 0; i < infoHashes.length; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < infoHashes.length; j++) {
        infoHashes[i + j] = (byte) (v >>> (8 * j));
      }
    }
    zipf = new Zipf(swarms, 1.0);
    swarmOfPeer = new int[peers];
    for (int p = 0; p < peers; p++) {
      swarmOfPeer[p] = zipf.next(random);
    }
    state = new byte[peers];
  }

  private Scenario(Scenario whole, int peers) {
    this.swarms = whole.swarms;
    this.peers = peers;
    this.sources = whole.sources;
    this.seederFraction = whole.seederFraction;
    this.scrapeShare = whole.scrapeShare;
    this.maxScrapeHashes = whole.maxScrapeHashes;
    this.numWantMin = whole.numWantMin;
    this.numWantMax = whole.numWantMax;
    this.completeChance = whole.completeChance;
    this.stopChance = whole.stopChance;
    this.infoHashes = whole.infoHashes;
    this.swarmOfPeer = whole.swarmOfPeer;
    this.state = whole.state;
    this.zipf = whole.zipf;
    this.urlData = whole.urlData;
  }

  /**
   * The same world limited to its first {@code peers} peers (same endpoints, swarms and states):
   * populating it, then the whole, measures what the second part of the population costs.
   */
  Scenario limitedTo(int peers) {
    return new Scenario(this, Math.min(peers, this.peers));
  }

  /**
   * Peers of this (limited) world that announced and have not stopped since: what a tracker that
   * answered every announce stores.
   */
  int activePeers() {
    int n = 0;
    for (int p = 0; p < peers; p++) {
      if (state[p] != NEW) {
        n++;
      }
    }
    return n;
  }

  int swarmOf(int peer) {
    return swarmOfPeer[peer];
  }

  int source(int peer) {
    return peer % sources;
  }

  int port(int peer) {
    return FIRST_PORT + peer / sources;
  }

  /** Peers of one source: {@code source, source + sources, ...}. */
  int peersOfSource(int source) {
    return (peers - source + sources - 1) / sources;
  }

  int randomSwarm(SplittableRandom random) {
    return zipf.next(random);
  }

  byte[] infoHashes() {
    return infoHashes;
  }

  /** The info_hashes as hex, one a line: opentracker's whitelist. */
  void writeWhitelist(Path file) throws IOException {
    StringBuilder sb = new StringBuilder(swarms * 41);
    HexFormat hex = HexFormat.of();
    for (int s = 0; s < swarms; s++) {
      sb.append(hex.formatHex(infoHashes, s * 20, s * 20 + 20)).append('\n');
    }
    Files.writeString(file, sb);
  }
}
