package io.swarmkeeper.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.LargestSwarms;
import io.swarmkeeper.swarm.PeerCensus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one member holds as owner, as of its last sweep pass: every member publishes its own, and
 * the fleet's counts are their sum (read from a small map, never by walking the swarms).
 */
public final class MemberStats implements IdentifiedDataSerializable {
  private String address;
  private int partitions;
  private long swarms;
  private PeerCensus census;
  private long requests;
  private long atMillis;
  private List<LargestSwarms.Entry> largest;

  /** The most largest swarms read from a member (a later version's list may be longer). */
  private static final int MAX_LARGEST_READ = 1000;

  MemberStats() {}

  MemberStats(
      String address,
      int partitions,
      long swarms,
      PeerCensus census,
      long requests,
      long atMillis,
      List<LargestSwarms.Entry> largest) {
    this.address = address;
    this.partitions = partitions;
    this.swarms = swarms;
    this.census = census;
    this.requests = requests;
    this.atMillis = atMillis;
    this.largest = List.copyOf(largest);
  }

  /** The member's cluster address, host:port. */
  public String address() {
    return address;
  }

  /** Partitions it owns. */
  public int partitions() {
    return partitions;
  }

  public long swarms() {
    return swarms;
  }

  public long peers() {
    return census.ipv4Peers() + census.ipv6Peers();
  }

  /** Its peers by family and state. */
  public PeerCensus census() {
    return census;
  }

  /** Announces and scrapes this member's listeners have taken since it started. */
  public long requests() {
    return requests;
  }

  /** When it published this (wall clock, milliseconds). */
  public long atMillis() {
    return atMillis;
  }

  /** Its largest swarms (of those it owns), largest first. */
  public List<LargestSwarms.Entry> largest() {
    return largest;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(address);
    out.writeInt(partitions);
    out.writeLong(swarms);
    out.writeLong(census.ipv4Peers());
    out.writeLong(census.ipv6Peers());
    out.writeLong(census.seeders());
    out.writeLong(requests);
    out.writeLong(atMillis);
    out.writeInt(largest.size());
    for (LargestSwarms.Entry e : largest) {
      out.write(e.infoHash().toBytes());
      out.writeInt(e.seeders());
      out.writeInt(e.leechers());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    address = in.readString();
    partitions = in.readInt();
    swarms = in.readLong();
    census = new PeerCensus(in.readLong(), in.readLong(), in.readLong());
    requests = in.readLong();
    atMillis = in.readLong();
    int n;
    try {
      n = in.readInt();
    } catch (java.io.EOFException olderMember) { // published before largest swarms were
      largest = List.of();
      return;
    }
    if (n < 0 || n > MAX_LARGEST_READ) {
      throw new IOException("largest swarms: " + n + " entries");
    }
    List<LargestSwarms.Entry> read = new ArrayList<>(Math.min(n, LargestSwarms.SIZE));
    byte[] hash = new byte[InfoHash.BYTES];
    for (int i = 0; i < n; i++) {
      in.readFully(hash);
      LargestSwarms.Entry e =
          new LargestSwarms.Entry(InfoHash.fromBytes(hash), in.readInt(), in.readInt());
      if (read.size() < LargestSwarms.SIZE) { // a later version may publish more: the first kept
        read.add(e);
      }
    }
    largest = List.copyOf(read);
  }

  @Override
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.MEMBER_STATS;
  }

  @Override
  public String toString() {
    return address
        + ": "
        + partitions
        + " partitions, "
        + swarms
        + " swarms, "
        + peers()
        + " peers";
  }
}
