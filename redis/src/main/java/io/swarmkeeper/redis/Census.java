package io.swarmkeeper.redis;

import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.LargestSwarms;
import io.swarmkeeper.swarm.PeerCensus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many swarms and peers the Redis holds: a scan of the torrents' peer keys (each primary of a
 * cluster in turn), counting live peers with {@code census.lua}. One node of all those on a Redis
 * counts each period (it holds a lock key for the period) and publishes the figures in a hash that
 * every node reads, so the cost does not grow with the nodes. Keys made or dropped during a scan
 * may be missed or seen twice: the figures are a census, not a ledger.
 */
final class Census {
  private static final Logger LOG = LoggerFactory.getLogger(Census.class);
  private static final int SCAN_COUNT = 1000;

  private final Vertx vertx;
  private final Redis client;
  private final RedisSwarmStore store;
  private final String node = UUID.randomUUID().toString();
  private final byte[] lockKey;
  private final byte[] figuresKey;
  private long timer = -1;
  private volatile long swarms;
  private volatile PeerCensus census;
  private volatile List<LargestSwarms.Entry> largest = List.of();

  Census(Vertx vertx, Redis client, RedisSwarmStore store) {
    this.vertx = vertx;
    this.client = client;
    this.store = store;
    this.lockKey =
        (store.prefix() + "census-lock").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    this.figuresKey =
        (store.prefix() + "census").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  long swarms() {
    return swarms;
  }

  PeerCensus census() {
    return census;
  }

  List<LargestSwarms.Entry> largest() {
    return largest;
  }

  void start(int seconds) {
    long period = seconds * 1000L;
    timer = vertx.setPeriodic(Math.min(period, 2000), period, id -> tick(period));
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void tick(long periodMillis) {
    client
        .send(
            Request.cmd(Command.SET)
                .arg(lockKey)
                .arg(node)
                .arg("NX")
                .arg("PX")
                .arg(Math.max(100, periodMillis - 200)))
        .compose(
            taken ->
                taken != null && "OK".equals(taken.toString())
                    ? countAndPublish()
                    : Future.<Void>succeededFuture())
        .compose(v -> read())
        .onFailure(e -> LOG.debug("census skipped: {}", e.toString()));
  }

  Future<Void> runNow() {
    return countAndPublish().compose(v -> read());
  }

  /** The census's sums; {@code largest} is one collector that every page offers to. */
  private record Totals(long swarms, long ipv4, long ipv6, long seeders, LargestSwarms largest) {
    Totals plus(Totals o) {
      return new Totals(
          swarms + o.swarms, ipv4 + o.ipv4, ipv6 + o.ipv6, seeders + o.seeders, largest);
    }
  }

  /** The largest swarms as the census hash keeps them: {@code hex:seeders:leechers,...}. */
  static String encode(List<LargestSwarms.Entry> entries) {
    StringBuilder out = new StringBuilder();
    for (LargestSwarms.Entry e : entries) {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(e.infoHash().toHex()).append(':').append(e.seeders()).append(':');
      out.append(e.leechers());
    }
    return out.toString();
  }

  static List<LargestSwarms.Entry> decode(String text) {
    List<LargestSwarms.Entry> out = new ArrayList<>();
    for (String item : text.split(",")) {
      String[] f = item.split(":");
      try {
        out.add(
            new LargestSwarms.Entry(
                InfoHash.fromHex(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2])));
      } catch (RuntimeException unreadable) { // another version's, or a hand-edited hash: skipped
      }
    }
    return List.copyOf(out);
  }

  private Future<Void> countAndPublish() {
    return nodes()
        .compose(
            nodes -> {
              LargestSwarms top = new LargestSwarms(LargestSwarms.SIZE);
              Future<Totals> sum = Future.succeededFuture(new Totals(0, 0, 0, 0, top));
              for (Redis n : nodes) {
                sum = sum.compose(t -> scan(n, "0", t));
              }
              return sum.eventually(
                  () -> {
                    for (Redis n : nodes) {
                      if (n != client) {
                        n.close();
                      }
                    }
                    return Future.succeededFuture();
                  });
            })
        .compose(
            t ->
                client.send(
                    Request.cmd(Command.HSET)
                        .arg(figuresKey)
                        .arg("swarms")
                        .arg(t.swarms)
                        .arg("ipv4")
                        .arg(t.ipv4)
                        .arg("ipv6")
                        .arg(t.ipv6)
                        .arg("seeders")
                        .arg(t.seeders)
                        .arg("largest")
                        .arg(encode(t.largest.result()))
                        .arg("at")
                        .arg(System.currentTimeMillis())))
        .mapEmpty();
  }

  private Future<Void> read() {
    return client
        .send(Request.cmd(Command.HGETALL).arg(figuresKey))
        .map(
            r -> {
              if (r != null && r.containsKey("swarms")) {
                swarms = r.get("swarms").toLong();
                census =
                    new PeerCensus(
                        r.get("ipv4").toLong(), r.get("ipv6").toLong(), r.get("seeders").toLong());
                largest =
                    r.containsKey("largest") ? decode(r.get("largest").toString()) : List.of();
              }
              return null;
            });
  }

  /** The servers to scan: the Redis itself, or each primary of a cluster. */
  private Future<List<Redis>> nodes() {
    if (!store.isCluster()) {
      return Future.succeededFuture(List.of(client));
    }
    return client
        .send(Request.cmd(Command.CLUSTER).arg("SLOTS"))
        .map(
            slots -> {
              List<String> seen = new ArrayList<>();
              List<Redis> out = new ArrayList<>();
              URI seed = URI.create(store.options().getUrls().get(0));
              for (Response range : slots) {
                Response master = range.get(2);
                String hostPort = master.get(0).toString() + ":" + master.get(1).toInteger();
                if (!seen.contains(hostPort)) {
                  seen.add(hostPort);
                  String auth = seed.getRawUserInfo() == null ? "" : seed.getRawUserInfo() + "@";
                  out.add(
                      Redis.createClient(
                          vertx,
                          new RedisOptions()
                              .setConnectionString(seed.getScheme() + "://" + auth + hostPort)));
                }
              }
              return out;
            });
  }

  private Future<Totals> scan(Redis node, String cursor, Totals sofar) {
    return node.send(
            Request.cmd(Command.SCAN)
                .arg(cursor)
                .arg("MATCH")
                .arg(store.prefix() + "{*")
                .arg("COUNT")
                .arg(SCAN_COUNT)
                .arg("TYPE")
                .arg("zset"))
        .compose(
            page -> {
              String next = page.get(0).toString();
              List<Request> counts = new ArrayList<>();
              List<InfoHash> hashes = new ArrayList<>();
              long now = store.nowSeconds();
              for (Response key : page.get(1)) {
                SwarmKeys.Found found = SwarmKeys.parse(store.prefix(), key.toString());
                if (found == null) {
                  continue;
                }
                InfoHash hash;
                try {
                  hash =
                      InfoHash.fromHex(
                          found
                              .base()
                              .substring(store.prefix().length() + 1, found.base().length() - 1));
                } catch (IllegalArgumentException notOurs) {
                  continue; // a key under the prefix that no torrent of ours made
                }
                byte[][] keys = SwarmKeys.of(found.base());
                hashes.add(hash);
                counts.add(
                    Request.cmd(Command.EVALSHA)
                        .arg(Scripts.CENSUS.sha)
                        .arg(4)
                        .arg(keys[0])
                        .arg(keys[1])
                        .arg(keys[2])
                        .arg(keys[3])
                        .arg(now)
                        .arg(store.peerTimeoutSeconds())
                        .arg(found.position() + 1));
              }
              Future<Totals> here =
                  counts.isEmpty()
                      ? Future.succeededFuture(sofar)
                      : countBatch(node, counts, hashes, sofar.largest, true).map(sofar::plus);
              return "0".equals(next) ? here : here.compose(t -> scan(node, next, t));
            });
  }

  /** Counts one page's torrents; each one's counts go to {@code largest} too. */
  private Future<Totals> countBatch(
      Redis node,
      List<Request> counts,
      List<InfoHash> hashes,
      LargestSwarms largest,
      boolean retry) {
    return node.batch(counts)
        .map(
            rs -> {
              long swarms = 0;
              long ipv4 = 0;
              long ipv6 = 0;
              long seeders = 0;
              for (int i = 0; i < rs.size(); i++) {
                Response r = rs.get(i);
                if (r == null || r.size() < 4) {
                  continue; // counted at an earlier key of its torrent
                }
                long s4 = r.get(0).toLong();
                long l4 = r.get(1).toLong();
                long s6 = r.get(2).toLong();
                long l6 = r.get(3).toLong();
                if (s4 + l4 + s6 + l6 > 0) {
                  swarms++;
                }
                ipv4 += s4 + l4;
                ipv6 += s6 + l6;
                seeders += s4 + s6;
                largest.offer(hashes.get(i), (int) (s4 + s6), (int) (l4 + l6));
              }
              return new Totals(swarms, ipv4, ipv6, seeders, largest);
            })
        .recover(
            e -> {
              if (retry && String.valueOf(e.getMessage()).contains("NOSCRIPT")) {
                // node is one server (a cluster's primaries are scanned one by one)
                return node.connect()
                    .compose(c -> RedisSwarmStore.loadScripts(c, false).eventually(c::close))
                    .compose(v -> countBatch(node, counts, hashes, largest, false));
              }
              return Future.failedFuture(e);
            });
  }
}
