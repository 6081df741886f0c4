package io.swarmkeeper.cluster;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceRequest;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.Swarm;
import java.io.IOException;

/**
 * How the fleet's types cross the wire: fixed-layout serializers, no reflection and no class names
 * in the bytes. The layouts are part of the fleet's protocol: members of one cluster must run
 * builds that agree on them (a rolling upgrade that changes one needs a new cluster name).
 */
final class ClusterSerialization {
  static final int FACTORY_ID = 1917;

  static final int ANNOUNCE_PROCESSOR = 1;
  static final int SCRAPE_PROCESSOR = 3;
  static final int EXPIRE_PROCESSOR = 4;
  static final int MERGE_POLICY = 5;
  static final int ANNOUNCE_REPLIES = 6;
  static final int MEMBER_STATS = 7;

  private static final int INFO_HASH_TYPE = 19171;
  private static final int SWARM_TYPE = 19172;
  private static final int SCRAPE_STATS_TYPE = 19173;

  private ClusterSerialization() {}

  static void configure(SerializationConfig config) {
    config.addDataSerializableFactory(FACTORY_ID, ClusterSerialization::create);
    config.addSerializerConfig(
        new SerializerConfig().setTypeClass(InfoHash.class).setImplementation(new InfoHashes()));
    config.addSerializerConfig(
        new SerializerConfig().setTypeClass(Swarm.class).setImplementation(new Swarms()));
    config.addSerializerConfig(
        new SerializerConfig()
            .setTypeClass(ScrapeStats.class)
            .setImplementation(new ScrapeStatsSerializer()));
  }

  private static IdentifiedDataSerializable create(int classId) {
    return switch (classId) {
      case ANNOUNCE_PROCESSOR -> new AnnounceProcessor();
      case SCRAPE_PROCESSOR -> new ScrapeProcessor();
      case EXPIRE_PROCESSOR -> new ExpireProcessor();
      case MERGE_POLICY -> new SwarmMergePolicy();
      case ANNOUNCE_REPLIES -> new AnnounceReplies();
      case MEMBER_STATS -> new MemberStats();
      default -> null;
    };
  }

  static void writeInfoHash(ObjectDataOutput out, InfoHash h) throws IOException {
    out.writeLong(h.high());
    out.writeLong(h.middle());
    out.writeInt(h.low());
  }

  static InfoHash readInfoHash(ObjectDataInput in) throws IOException {
    return InfoHash.of(in.readLong(), in.readLong(), in.readInt());
  }

  /**
   * An announce in 29 bytes for IPv4 (41 for IPv6): info_hash, endpoint, event, seeder, numwant.
   * Only whether {@code left} is 0 matters to a swarm, so that is all that travels.
   */
  static void writeRequest(ObjectDataOutput out, AnnounceRequest r) throws IOException {
    writeRequest(out, r, r.numWant());
  }

  /** The request with another numwant (a backup's replay wants none). */
  static void writeRequest(ObjectDataOutput out, AnnounceRequest r, int numWant)
      throws IOException {
    writeInfoHash(out, r.infoHash());
    PeerEndpoint p = r.peer();
    int flags = r.event().code() | (r.seeder() ? 4 : 0) | (p.ipv6() ? 8 : 0);
    out.writeByte(flags);
    if (p.ipv6()) {
      out.writeLong(p.high());
      out.writeLong(p.low());
    } else {
      out.writeInt((int) p.low());
    }
    out.writeShort(p.port());
    out.writeShort(numWant);
  }

  static AnnounceRequest readRequest(ObjectDataInput in) throws IOException {
    InfoHash infoHash = readInfoHash(in);
    int flags = in.readByte();
    AnnounceEvent event = AnnounceEvent.fromCode(flags & 3);
    boolean ipv6 = (flags & 8) != 0;
    PeerEndpoint peer;
    if (ipv6) {
      long high = in.readLong();
      long low = in.readLong();
      peer = PeerEndpoint.ipv6(high, low, in.readShort() & 0xFFFF);
    } else {
      int address = in.readInt();
      peer = PeerEndpoint.ipv4(address, in.readShort() & 0xFFFF);
    }
    int numWant = in.readShort() & 0xFFFF;
    return new AnnounceRequest(infoHash, peer, event, (flags & 4) != 0 ? 0 : 1, numWant);
  }

  static void writeResult(ObjectDataOutput out, AnnounceResult r) throws IOException {
    out.writeInt(r.seeders());
    out.writeInt(r.leechers());
    out.writeByte((r.ipv6() ? 1 : 0) | (r.completionCounted() ? 2 : 0));
    out.writeByteArray(r.compactPeers());
  }

  static AnnounceResult readResult(ObjectDataInput in) throws IOException {
    int seeders = in.readInt();
    int leechers = in.readInt();
    byte flags = in.readByte();
    return new AnnounceResult(
        seeders, leechers, (flags & 1) != 0, in.readByteArray(), (flags & 2) != 0);
  }

  private static final class InfoHashes implements StreamSerializer<InfoHash> {
    @Override
    public void write(ObjectDataOutput out, InfoHash h) throws IOException {
      writeInfoHash(out, h);
    }

    @Override
    public InfoHash read(ObjectDataInput in) throws IOException {
      return readInfoHash(in);
    }

    @Override
    public int getTypeId() {
      return INFO_HASH_TYPE;
    }
  }

  /** A whole swarm: what migration, a full backup copy and a split-brain merge carry. */
  private static final class Swarms implements StreamSerializer<Swarm> {
    @Override
    public void write(ObjectDataOutput out, Swarm swarm) throws IOException {
      swarm.writeTo(out);
    }

    @Override
    public Swarm read(ObjectDataInput in) throws IOException {
      return Swarm.readFrom(in);
    }

    @Override
    public int getTypeId() {
      return SWARM_TYPE;
    }
  }

  private static final class ScrapeStatsSerializer implements StreamSerializer<ScrapeStats> {
    @Override
    public void write(ObjectDataOutput out, ScrapeStats s) throws IOException {
      out.writeInt(s.seeders());
      out.writeInt(s.completed());
      out.writeInt(s.leechers());
    }

    @Override
    public ScrapeStats read(ObjectDataInput in) throws IOException {
      return new ScrapeStats(in.readInt(), in.readInt(), in.readInt());
    }

    @Override
    public int getTypeId() {
      return SCRAPE_STATS_TYPE;
    }
  }
}
