package io.swarmkeeper.registry;

import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's REST API under {@code /api/v1}, JSON in and out. Reads are open; writes need
 * {@code Authorization: Bearer TOKEN} and are refused when no token is configured.
 */
public final class RegistryApi {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryApi.class);

  /** The largest .torrent accepted (a 100 GB torrent in 16 KiB pieces is about 130 MB: too big). */
  static final long MAX_TORRENT_BYTES = 16 * 1024 * 1024;

  /** The API described (OpenAPI 3.0), as served at {@code /api/v1/openapi.json}. */
  static final Buffer OPENAPI = openApi();

  /** A passkey request is a small JSON object. */
  static final long MAX_PASSKEY_REQUEST_BYTES = 4096;

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private final TorrentRegistry registry;
  private final SwarmStore swarms;
  private final byte[] token;
  private final Function<String, List<String>> trackerUrls;

  /**
   * @param token the bearer token writes need, or null to refuse every write
   * @param trackerUrls the announce URLs magnet links name, given the host name the API request was
   *     sent to (its {@code Host} header without the port)
   */
  public RegistryApi(
      TorrentRegistry registry,
      SwarmStore swarms,
      String token,
      Function<String, List<String>> trackerUrls) {
    this.registry = registry;
    this.swarms = swarms;
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    this.trackerUrls = trackerUrls;
  }

  /** The announce URLs for magnet links in the answer to this request. */
  private List<String> urls(RoutingContext c) {
    io.vertx.core.net.HostAndPort authority = c.request().authority();
    return trackerUrls.apply(authority == null ? "localhost" : authority.host());
  }

  /** A router serving {@code /api/v1/...}; mount it, or hand it requests whose path starts so. */
  public Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    // Writes check the token first, on routes of their own ahead of the body handlers (Vert.x
    // runs a route's body handler before its others): no one without it makes the node buffer a
    // 16 MB upload.
    r.post("/api/v1/*").handler(this::writer);
    r.delete("/api/v1/*").handler(this::writer);
    r.post("/api/v1/torrents")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_TORRENT_BYTES))
        .handler(this::publish);
    r.get("/api/v1/torrents").handler(this::list);
    r.get("/api/v1/torrents/:hash").handler(this::get);
    r.get("/api/v1/torrents/:hash/torrent").handler(this::torrent);
    r.get("/api/v1/torrents/:hash/pieces/:index").handler(this::piece);
    r.delete("/api/v1/torrents/:hash").handler(this::delete);
    r.post("/api/v1/passkeys")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_PASSKEY_REQUEST_BYTES))
        .handler(this::createPasskey);
    r.delete("/api/v1/passkeys/:passkey").handler(this::deletePasskey);
    r.get("/api/v1/openapi.json")
        .handler(
            c -> c.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(OPENAPI));
    r.route("/api/v1/*")
        .last()
        .handler(c -> error(c, 404, "no such API path: " + c.request().path()));
    return r;
  }

  private void publish(RoutingContext c) {
    String type = c.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null
        && !type.startsWith("application/x-bittorrent")
        && !type.startsWith("application/octet-stream")) {
      error(c, 415, "send the .torrent file as application/x-bittorrent, not " + type);
      return;
    }
    Buffer body = c.body().buffer();
    if (body == null || body.length() == 0) {
      error(c, 400, "empty body: send the .torrent file");
      return;
    }
    TorrentFile t;
    try {
      t = TorrentFile.parse(body.getBytes());
    } catch (InvalidTorrentException e) {
      error(c, 400, "not a valid torrent: " + e.getMessage());
      return;
    }
    registry
        .publish(t)
        .onComplete(
            done -> {
              if (done.failed()) {
                failed(c, done.cause());
                return;
              }
              json(c, done.result().created() ? 201 : 200, done.result().record().toJson(urls(c)));
            });
  }

  private void get(RoutingContext c) {
    byte[] hash = hash(c);
    if (hash == null) {
      return;
    }
    registry
        .find(hash)
        .compose(
            record -> {
              if (record == null) {
                return Future.succeededFuture((JsonObject) null);
              }
              return swarms
                  .scrape(List.of(InfoHash.fromBytes(record.swarmKey())))
                  .map(
                      stats -> {
                        ScrapeStats s = stats.get(0);
                        return record
                            .toJson(urls(c))
                            .put("seeders", s.seeders())
                            .put("leechers", s.leechers())
                            .put("completed", Math.max(record.completed(), s.completed()));
                      });
            })
        .onComplete(found(c, notRegistered(c), json -> json(c, 200, json)));
  }

  private void torrent(RoutingContext c) {
    byte[] hash = hash(c);
    if (hash == null) {
      return;
    }
    registry
        .torrentBytes(hash)
        .onComplete(
            found(
                c,
                notRegistered(c),
                bytes ->
                    c.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-bittorrent")
                        .end(Buffer.buffer(bytes))));
  }

  private void piece(RoutingContext c) {
    byte[] hash = hash(c);
    if (hash == null) {
      return;
    }
    int index;
    try {
      index = Integer.parseInt(c.pathParam("index"));
    } catch (NumberFormatException e) {
      error(c, 400, "piece index must be a number, got " + c.pathParam("index"));
      return;
    }
    registry
        .pieceHash(hash, index)
        .onComplete(
            found(
                c,
                "no piece " + index + " in torrent " + c.pathParam("hash"),
                bytes ->
                    json(
                        c,
                        200,
                        new JsonObject()
                            .put("index", index)
                            .put("hash", HexFormat.of().formatHex(bytes)))));
  }

  private void list(RoutingContext c) {
    int limit;
    long after;
    try {
      String l = c.request().getParam("limit");
      String a = c.request().getParam("after");
      limit = l == null ? DEFAULT_PAGE : Integer.parseInt(l);
      after = a == null ? 0 : Long.parseLong(a);
    } catch (NumberFormatException e) {
      error(c, 400, "limit and after must be numbers");
      return;
    }
    if (limit < 1 || limit > MAX_PAGE) {
      error(c, 400, "limit must be 1 to " + MAX_PAGE + ", got " + limit);
      return;
    }
    registry
        .list(limit, after)
        .onComplete(
            done -> {
              if (done.failed()) {
                failed(c, done.cause());
                return;
              }
              List<TorrentRecord> page = done.result();
              JsonArray items = new JsonArray();
              for (TorrentRecord t : page) {
                items.add(t.toJson(urls(c)).put("id", t.id()));
              }
              json(
                  c,
                  200,
                  new JsonObject()
                      .put("torrents", items)
                      .put("next", page.size() == limit ? page.get(page.size() - 1).id() : null));
            });
  }

  private void delete(RoutingContext c) {
    byte[] hash = hash(c);
    if (hash == null) {
      return;
    }
    registry
        .delete(hash)
        .map(deleted -> deleted ? deleted : null)
        .onComplete(found(c, notRegistered(c), deleted -> c.response().setStatusCode(204).end()));
  }

  /**
   * {@code POST /api/v1/passkeys}, body empty or {@code {"name": ..., "expires_at": ISO-8601}}: 201
   * and the new key.
   */
  private void createPasskey(RoutingContext c) {
    String name = null;
    OffsetDateTime expires = null;
    Buffer body = c.body().buffer();
    if (body != null && body.length() > 0) {
      JsonObject json;
      try {
        json = body.toJsonObject();
      } catch (RuntimeException e) {
        error(c, 400, "the body must be a JSON object: " + e.getMessage());
        return;
      }
      Object n = json.getValue("name");
      Object x = json.getValue("expires_at");
      if (n != null && !(n instanceof String)) {
        error(c, 400, "name must be text");
        return;
      }
      name = (String) n;
      if (x != null) {
        try {
          expires = OffsetDateTime.parse(String.valueOf(x));
        } catch (java.time.format.DateTimeParseException e) {
          error(
              c, 400, "expires_at must be an ISO-8601 time such as 2027-01-31T00:00:00Z, got " + x);
          return;
        }
      }
    }
    registry
        .createPasskey(name, expires)
        .onComplete(
            done -> {
              if (done.failed()) {
                failed(c, done.cause());
              } else {
                json(c, 201, done.result().toJson());
              }
            });
  }

  /** {@code DELETE /api/v1/passkeys/{passkey}}: revokes it on every node within a second. */
  private void deletePasskey(RoutingContext c) {
    String passkey = c.pathParam("passkey");
    registry
        .deletePasskey(passkey)
        .map(deleted -> deleted ? deleted : null)
        .onComplete(
            found(c, "no passkey " + passkey, deleted -> c.response().setStatusCode(204).end()));
  }

  /** Lets a write on if it carries the configured token; answers 401 or 403 if not. */
  private void writer(RoutingContext c) {
    if (token == null) {
      error(c, 403, "writes are off: no api.token is configured on this tracker");
      return;
    }
    String header = c.request().getHeader(HttpHeaders.AUTHORIZATION);
    byte[] given =
        header != null && header.startsWith("Bearer ")
            ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8)
            : null;
    if (given == null || !MessageDigest.isEqual(given, token)) {
      c.response().putHeader("WWW-Authenticate", "Bearer");
      error(c, 401, "writes need Authorization: Bearer TOKEN with this tracker's api.token");
      return;
    }
    c.next();
  }

  /** The path's {hash}: 40 hex digits (v1) or 64 (v2); answers 400 and null otherwise. */
  private static byte[] hash(RoutingContext c) {
    String hex = c.pathParam("hash");
    if (hex == null || (hex.length() != 40 && hex.length() != 64)) {
      error(c, 400, "an info hash is 40 (v1) or 64 (v2) hex digits, got " + hex);
      return null;
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      error(c, 400, "an info hash is hex digits, got " + hex);
      return null;
    }
  }

  /**
   * Answers a registry call: 503 if the database failed, 404 with {@code missing} if it found
   * nothing (null), else what {@code answer} writes.
   */
  private static <T> io.vertx.core.Handler<io.vertx.core.AsyncResult<T>> found(
      RoutingContext c, String missing, java.util.function.Consumer<T> answer) {
    return done -> {
      if (done.failed()) {
        failed(c, done.cause());
      } else if (done.result() == null) {
        error(c, 404, missing);
      } else {
        answer.accept(done.result());
      }
    };
  }

  private static Buffer openApi() {
    try (java.io.InputStream in = RegistryApi.class.getResourceAsStream("openapi.json")) {
      return Buffer.buffer(in.readAllBytes());
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("openapi.json is missing from the registry jar", e);
    }
  }

  private static String notRegistered(RoutingContext c) {
    return "no torrent " + c.pathParam("hash") + " is registered";
  }

  private static void failed(RoutingContext c, Throwable cause) {
    LOG.warn(
        "registry request {} {} failed: {}",
        c.request().method(),
        c.request().path(),
        cause.toString());
    error(c, 503, "the registry database is unavailable: " + cause.getMessage());
  }

  /**
   * A handler that answers every API request with this error: for a node without a registry, in the
   * API's own error form.
   */
  public static io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> refusing(
      int status, String message) {
    return request -> json(request.response(), status, new JsonObject().put("error", message));
  }

  private static void json(RoutingContext c, int status, JsonObject body) {
    json(c.response(), status, body);
  }

  private static void json(
      io.vertx.core.http.HttpServerResponse response, int status, JsonObject body) {
    response
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }

  private static void error(RoutingContext c, int status, String message) {
    json(c, status, new JsonObject().put("error", message));
  }
}
