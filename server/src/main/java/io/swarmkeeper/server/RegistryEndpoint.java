package io.swarmkeeper.server;

import io.swarmkeeper.registry.RegistryApi;
import io.swarmkeeper.registry.TorrentRegistry;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.function.Function;

/**
 * The node's {@code /api/} paths: the registry's REST API when {@code database.url} is set (the
 * schema migrated and the pool open before the node serves), else a 404 that says how to turn it
 * on.
 */
final class RegistryEndpoint {
  private RegistryEndpoint() {}

  /** What {@link #open} gives: the registry (null without a database) and the API's handler. */
  record Opened(TorrentRegistry registry, Handler<HttpServerRequest> handler) {}

  /** A slot for the handler, filled once the registry is open; until then a 503. */
  @SuppressWarnings("unchecked")
  static Handler<HttpServerRequest>[] holder() {
    Handler<HttpServerRequest>[] slot = new Handler[1];
    slot[0] =
        request -> json(request, 503, "the registry is opening its database; try again shortly");
    return slot;
  }

  static Future<Opened> open(
      Vertx vertx, NodeOptions options, SwarmStore store, Function<String, List<String>> urls) {
    DatabaseOptions database = options.getDatabase();
    if (!database.enabled()) {
      return Future.succeededFuture(
          new Opened(
              null,
              request ->
                  json(
                      request,
                      404,
                      "no torrent registry on this node: start it with --database"
                          + " postgres://USER:PASS@HOST:PORT/DB")));
    }
    return TorrentRegistry.open(vertx, database.getUrl(), database.getPoolSize())
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "cannot open the registry database "
                            + DatabaseOptions.redacted(database.getUrl())
                            + ": "
                            + rootMessage(e),
                        e)))
        .map(
            registry -> {
              String token = options.getApi().getToken();
              RegistryApi api = new RegistryApi(registry, store, token, urls);
              return new Opened(registry, api.router(vertx));
            });
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static void json(HttpServerRequest request, int status, String error) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(new io.vertx.core.json.JsonObject().put("error", error).encode());
  }
}
