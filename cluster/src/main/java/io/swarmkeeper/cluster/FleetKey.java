package io.swarmkeeper.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.security.SecureRandom;
import java.util.function.Consumer;

/**
 * The connection-id key the fleet agrees on when none is configured: the first member to ask puts a
 * random one, every later member reads it, so an id one node issues is valid on every node. When it
 * changes (a healed network partition keeps the larger side's key), members are told.
 */
public final class FleetKey {
  static final String CONNECTION_ID_KEY = "connection-id-key";

  private FleetKey() {}

  /**
   * The fleet's key (16 bytes), agreed now; {@code changed} hears of a later change. Blocks on the
   * cluster: never on an event loop.
   */
  public static byte[] agree(FleetMember member, Consumer<byte[]> changed) {
    IMap<String, byte[]> fleet = member.hazelcast().getMap(FleetMember.FLEET);
    fleet.addEntryListener(
        (EntryUpdatedListener<String, byte[]>)
            (EntryEvent<String, byte[]> e) -> {
              if (CONNECTION_ID_KEY.equals(e.getKey())) {
                changed.accept(e.getValue());
              }
            },
        true);
    byte[] proposal = new byte[16];
    new SecureRandom().nextBytes(proposal);
    byte[] agreed = fleet.putIfAbsent(CONNECTION_ID_KEY, proposal);
    return agreed == null ? proposal : agreed;
  }
}
