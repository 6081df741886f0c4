package io.swarmkeeper.registry;

import io.swarmkeeper.swarm.InfoHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The torrent registry on PostgreSQL: published torrents, their original bytes and their piece
 * hashes. Every call is non-blocking (Vert.x's PostgreSQL client, pooled and pipelined) except
 * {@link #open}'s schema migration, which runs once on a worker thread before the pool serves.
 */
public final class TorrentRegistry {
  /** Piece hashes to a row of {@code pieces} (see V1__torrents.sql). */
  static final int PIECES_PER_ROW = 64;

  /** A torrent's columns, its completed count (V3__completions.sql) joined in. */
  private static final String COLUMNS =
      "id, info_hash, info_hash_v2, name, piece_length, total_size, file_count, piece_count,"
          + " created_at, COALESCE((SELECT c.completed FROM completions c"
          + " WHERE c.swarm_key = torrents.swarm_key), 0) AS completed";

  /**
   * Adds each swarm's completions to its row (made at its first), in one statement: a row per swarm
   * whatever the number of completions; answers the new totals.
   */
  private static final String ADD_COMPLETIONS =
      "INSERT INTO completions AS c (swarm_key, completed)"
          + " SELECT * FROM unnest($1::bytea[], $2::bigint[])"
          + " ON CONFLICT (swarm_key) DO UPDATE"
          + " SET completed = c.completed + EXCLUDED.completed, seen_at = now()"
          + " RETURNING swarm_key, completed";

  /** Unregistered swarms' counts not completed since the cutoff, a bounded batch at a time. */
  private static final String PRUNE_COMPLETIONS =
      "DELETE FROM completions WHERE swarm_key IN (SELECT c.swarm_key FROM completions c"
          + " WHERE c.seen_at < now() - make_interval(secs => $1)"
          + " AND NOT EXISTS (SELECT 1 FROM torrents t WHERE t.swarm_key = c.swarm_key)"
          + " LIMIT $2)";

  /** The channel publishes and deletes are announced on (a trigger of V1__torrents.sql). */
  static final String CHANNEL = "swarmkeeper_torrents";

  /** The channel revoked or changed passkeys are announced on (V2__passkeys.sql). */
  static final String PASSKEY_CHANNEL = "swarmkeeper_passkeys";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOG = LoggerFactory.getLogger(TorrentRegistry.class);

  /** How long between attempts to listen again after the listener's connection dropped. */
  static final long RELISTEN_MILLIS = 1000;

  private final Pool pool;
  private final PgSubscriber subscriber;
  private final List<Consumer<byte[]>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> passkeyListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> resyncListeners = new CopyOnWriteArrayList<>();
  private volatile boolean closing;
  private volatile boolean listening;

  private TorrentRegistry(Pool pool, PgSubscriber subscriber) {
    this.pool = pool;
    this.subscriber = subscriber;
    subscriber
        .channel(CHANNEL)
        .handler(
            payload -> {
              byte[] key;
              try {
                key = HexFormat.of().parseHex(payload);
              } catch (IllegalArgumentException e) {
                return; // not ours
              }
              for (Consumer<byte[]> l : listeners) {
                l.accept(key);
              }
            });
    subscriber
        .channel(PASSKEY_CHANNEL)
        .handler(
            passkey -> {
              for (Consumer<String> l : passkeyListeners) {
                l.accept(passkey);
              }
            });
  }

  /**
   * Migrates the schema (Flyway, from {@code db/migration} in this jar) and opens a pool.
   *
   * @param url {@code postgres://USER:PASS@HOST:PORT/DB} (or {@code postgresql://})
   */
  public static Future<TorrentRegistry> open(Vertx vertx, String url, int poolSize) {
    PgConnectOptions connect;
    try {
      connect = PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      return Future.failedFuture(
          new IllegalArgumentException("database.url is not a PostgreSQL URL: " + e.getMessage()));
    }
    return vertx
        .executeBlocking(
            () -> {
              int applied = migrate(connect);
              if (applied > 0) {
                LOG.info("registry schema: applied {} migration(s)", applied);
              }
              return null;
            },
            false)
        .compose(
            v -> {
              // LISTEN on a connection of its own; see relisten for when it drops.
              PgSubscriber subscriber = PgSubscriber.subscriber(vertx, connect);
              TorrentRegistry registry =
                  new TorrentRegistry(
                      PgBuilder.pool()
                          .with(new PoolOptions().setMaxSize(poolSize))
                          .connectingTo(connect)
                          .using(vertx)
                          .build(),
                      subscriber);
              subscriber.closeHandler(
                  closed -> {
                    registry.listening = false;
                    if (!registry.closing) {
                      LOG.warn("lost the registry's change listener; trying again every second");
                      vertx.setTimer(RELISTEN_MILLIS, t -> registry.relisten(vertx));
                    }
                  });
              return subscriber
                  .connect()
                  .map(
                      connected -> {
                        registry.listening = true;
                        return registry;
                      });
            });
  }

  /**
   * Connects the change listener again after it dropped (PostgreSQL restarted, the network failed),
   * every second until it holds; then tells every resync listener, since whatever was notified in
   * between is lost.
   */
  private void relisten(Vertx vertx) {
    if (closing) {
      return;
    }
    subscriber
        .connect()
        .onComplete(
            done -> {
              if (done.failed()) {
                vertx.setTimer(RELISTEN_MILLIS, t -> relisten(vertx));
                return;
              }
              listening = true;
              LOG.info("the registry's change listener is back");
              for (Runnable r : resyncListeners) {
                r.run();
              }
            });
  }

  /**
   * Whether the change listener's connection to PostgreSQL is up: while it is not, the database is
   * taken as unreachable (metrics, {@code /ready}'s words).
   */
  public boolean listening() {
    return listening;
  }

  /**
   * Calls {@code listener} when changes may have been missed (the listener was down): caches of
   * what the registry holds must start again.
   */
  public void onResync(Runnable listener) {
    resyncListeners.add(listener);
  }

  /**
   * Calls {@code listener} with the swarm key (20 bytes: v1's hash, or v2's first 20) of every
   * torrent published or deleted, by any node on this database, as PostgreSQL notifies it.
   */
  public void onChange(Consumer<byte[]> listener) {
    listeners.add(listener);
  }

  /** Calls {@code listener} with every passkey revoked or changed, by any node on this database. */
  public void onPasskeyChange(Consumer<String> listener) {
    passkeyListeners.add(listener);
  }

  /** Makes a passkey: 128 random bits as 32 hex digits. */
  public Future<Passkey> createPasskey(String name, OffsetDateTime expiresAt) {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return pool.preparedQuery(
            "INSERT INTO passkeys (passkey, name, expires_at) VALUES ($1, $2, $3)"
                + " RETURNING passkey, name, created_at, expires_at")
        .execute(Tuple.of(HexFormat.of().formatHex(bits), name, expiresAt))
        .map(rows -> passkey(rows.iterator().next()));
  }

  /** The passkey, or null if there is none such (never made, or revoked). */
  public Future<Passkey> findPasskey(String passkey) {
    return pool.preparedQuery(
            "SELECT passkey, name, created_at, expires_at FROM passkeys WHERE passkey = $1")
        .execute(Tuple.of(passkey))
        .map(rows -> rows.size() == 0 ? null : passkey(rows.iterator().next()));
  }

  /** Revokes a passkey; answers whether there was one. */
  public Future<Boolean> deletePasskey(String passkey) {
    return pool.preparedQuery("DELETE FROM passkeys WHERE passkey = $1 RETURNING passkey")
        .execute(Tuple.of(passkey))
        .map(rows -> rows.size() > 0);
  }

  private static Passkey passkey(Row row) {
    return new Passkey(
        row.getString("passkey"),
        row.getString("name"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("expires_at"));
  }

  /** Whether a torrent whose swarm key (v1 hash, or v2's first 20 bytes) is this is registered. */
  public Future<Boolean> isRegistered(byte[] swarmKey) {
    return pool.preparedQuery("SELECT 1 FROM torrents WHERE swarm_key = $1")
        .execute(Tuple.of(Buffer.buffer(swarmKey)))
        .map(rows -> rows.size() > 0);
  }

  /**
   * Adds completions to the stored counts, one row per swarm in one statement; answers each swarm's
   * new total.
   */
  public Future<Map<InfoHash, Long>> addCompletions(Map<InfoHash, Long> completions) {
    Buffer[] keys = new Buffer[completions.size()];
    Long[] counts = new Long[completions.size()];
    int i = 0;
    for (Map.Entry<InfoHash, Long> e : completions.entrySet()) {
      keys[i] = Buffer.buffer(e.getKey().toBytes());
      counts[i++] = e.getValue();
    }
    return pool.preparedQuery(ADD_COMPLETIONS)
        .execute(Tuple.tuple().addValue(keys).addValue(counts))
        .map(TorrentRegistry::counts);
  }

  /** The stored counts of these swarms; a swarm never completed is absent. */
  public Future<Map<InfoHash, Long>> completions(List<InfoHash> swarms) {
    Buffer[] keys = new Buffer[swarms.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = Buffer.buffer(swarms.get(i).toBytes());
    }
    return pool.preparedQuery(
            "SELECT swarm_key, completed FROM completions WHERE swarm_key = ANY($1::bytea[])")
        .execute(Tuple.tuple().addValue(keys))
        .map(TorrentRegistry::counts);
  }

  /**
   * Deletes the counts of unregistered swarms with no completion written for {@code unseen};
   * answers how many (in batches of {@code batch} rows, until none is left).
   */
  public Future<Long> pruneCompletions(Duration unseen, int batch) {
    return pruneFrom(unseen.toSeconds(), batch, 0);
  }

  private Future<Long> pruneFrom(long seconds, int batch, long deleted) {
    return pool.preparedQuery(PRUNE_COMPLETIONS)
        .execute(Tuple.of((double) seconds, batch))
        .compose(
            rows ->
                rows.rowCount() < batch
                    ? Future.succeededFuture(deleted + rows.rowCount())
                    : pruneFrom(seconds, batch, deleted + rows.rowCount()));
  }

  private static Map<InfoHash, Long> counts(RowSet<Row> rows) {
    Map<InfoHash, Long> counts = new HashMap<>();
    for (Row row : rows) {
      counts.put(InfoHash.fromBytes(row.getBuffer(0).getBytes()), row.getLong(1));
    }
    return counts;
  }

  /** Applies the migrations the database lacks; answers how many it applied. */
  static int migrate(PgConnectOptions connect) {
    String jdbc =
        "jdbc:postgresql://"
            + connect.getHost()
            + ":"
            + connect.getPort()
            + "/"
            + connect.getDatabase()
            // The URL's sslmode holds for the migration too.
            + "?sslmode="
            + connect.getSslMode().value;
    return Flyway.configure(TorrentRegistry.class.getClassLoader())
        .dataSource(jdbc, connect.getUser(), connect.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate()
        .migrationsExecuted;
  }

  /** What {@link #publish} did: stored the torrent, or found it stored already. */
  public record Published(TorrentRecord record, boolean created) {}

  /**
   * Stores a torrent with its piece hashes, in one transaction; a torrent already stored (either of
   * its hashes) is answered as it is, not stored again.
   */
  public Future<Published> publish(TorrentFile t) {
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "INSERT INTO torrents (info_hash, info_hash_v2, swarm_key, name,"
                            + " piece_length, total_size, file_count, piece_count, torrent)"
                            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                            + " ON CONFLICT DO NOTHING RETURNING "
                            + COLUMNS)
                    .execute(
                        Tuple.tuple()
                            .addBuffer(buffer(t.infoHashV1()))
                            .addBuffer(buffer(t.infoHashV2()))
                            .addBuffer(Buffer.buffer(t.swarmKey()))
                            .addString(t.name())
                            .addLong(t.pieceLength())
                            .addLong(t.totalSize())
                            .addInteger(t.fileCount())
                            .addInteger(t.pieceCount())
                            .addBuffer(Buffer.buffer(t.bytes())))
                    .compose(
                        rows -> {
                          if (rows.size() == 0) {
                            return Future.succeededFuture((TorrentRecord) null);
                          }
                          TorrentRecord record = record(rows.iterator().next());
                          return insertPieces(tx, record.id(), t).map(v -> record);
                        }))
        .compose(
            record ->
                record != null
                    ? Future.succeededFuture(new Published(record, true))
                    : find(t.infoHashV1() != null ? t.infoHashV1() : t.infoHashV2())
                        .map(found -> new Published(found, false)));
  }

  private static Future<Void> insertPieces(SqlClient tx, long id, TorrentFile t) {
    int count = t.pieceCount();
    if (count == 0) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>();
    int size = t.pieceHashBytes();
    for (int first = 0; first < count; first += PIECES_PER_ROW) {
      int n = Math.min(PIECES_PER_ROW, count - first);
      Buffer hashes = Buffer.buffer(n * size);
      for (int i = 0; i < n; i++) {
        hashes.appendBytes(t.pieceHash(first + i));
      }
      rows.add(Tuple.of(id, first / PIECES_PER_ROW, hashes));
    }
    return tx.preparedQuery("INSERT INTO pieces (torrent_id, index, hash) VALUES ($1, $2, $3)")
        .executeBatch(rows)
        .mapEmpty();
  }

  /** The torrent with this v1 (20 bytes) or v2 (32 bytes) info hash, or null. */
  public Future<TorrentRecord> find(byte[] infoHash) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM torrents WHERE " + hashColumn(infoHash) + " = $1")
        .execute(Tuple.of(Buffer.buffer(infoHash)))
        .map(TorrentRegistry::first);
  }

  /** The file as published, or null. */
  public Future<byte[]> torrentBytes(byte[] infoHash) {
    return pool.preparedQuery(
            "SELECT torrent FROM torrents WHERE " + hashColumn(infoHash) + " = $1")
        .execute(Tuple.of(Buffer.buffer(infoHash)))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBuffer(0).getBytes());
  }

  /** The hash of piece {@code index} of that torrent, or null if it has no such piece. */
  public Future<byte[]> pieceHash(byte[] infoHash, int index) {
    if (index < 0) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery(
            "SELECT p.hash, t.piece_count FROM torrents t JOIN pieces p ON p.torrent_id = t.id"
                + " WHERE t."
                + hashColumn(infoHash)
                + " = $1 AND p.index = $2")
        .execute(Tuple.of(Buffer.buffer(infoHash), index / PIECES_PER_ROW))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              if (index >= row.getInteger(1)) {
                return null;
              }
              Buffer hashes = row.getBuffer(0);
              int size = hashes.length() / pieceRowCount(row, index);
              int at = (index % PIECES_PER_ROW) * size;
              return hashes.getBytes(at, at + size);
            });
  }

  /** Hashes in the row holding piece {@code index}: a full row, or what the last one holds. */
  private static int pieceRowCount(Row row, int index) {
    int count = row.getInteger(1);
    int first = index / PIECES_PER_ROW * PIECES_PER_ROW;
    return Math.min(PIECES_PER_ROW, count - first);
  }

  /** Up to {@code limit} torrents with an id above {@code after}, by id (keyset pagination). */
  public Future<List<TorrentRecord>> list(int limit, long after) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM torrents WHERE id > $1 ORDER BY id LIMIT $2")
        .execute(Tuple.of(after, limit))
        .map(
            rows -> {
              List<TorrentRecord> list = new ArrayList<>(rows.size());
              for (Row row : rows) {
                list.add(record(row));
              }
              return list;
            });
  }

  /** Removes the torrent and its pieces; answers whether there was one. */
  public Future<Boolean> delete(byte[] infoHash) {
    return pool.preparedQuery(
            "DELETE FROM torrents WHERE " + hashColumn(infoHash) + " = $1 RETURNING id")
        .execute(Tuple.of(Buffer.buffer(infoHash)))
        .map(rows -> rows.size() > 0);
  }

  public Future<Void> close() {
    closing = true;
    return subscriber.close().eventually(pool::close);
  }

  private static String hashColumn(byte[] infoHash) {
    return switch (infoHash.length) {
      case 20 -> "info_hash";
      case 32 -> "info_hash_v2";
      default ->
          throw new IllegalArgumentException(
              "an info hash is 20 (v1) or 32 (v2) bytes, got " + infoHash.length);
    };
  }

  private static TorrentRecord first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : record(rows.iterator().next());
  }

  private static TorrentRecord record(Row row) {
    Buffer v1 = row.getBuffer("info_hash");
    Buffer v2 = row.getBuffer("info_hash_v2");
    return new TorrentRecord(
        row.getLong("id"),
        v1 == null ? null : v1.getBytes(),
        v2 == null ? null : v2.getBytes(),
        row.getString("name"),
        row.getLong("piece_length"),
        row.getLong("total_size"),
        row.getInteger("file_count"),
        row.getInteger("piece_count"),
        row.getOffsetDateTime("created_at"),
        row.getLong("completed"));
  }

  private static Buffer buffer(byte[] bytes) {
    return bytes == null ? null : Buffer.buffer(bytes);
  }
}
