package io.swarmkeeper.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The admin listener: {@code GET /health} (200 while the node can serve, 503 once it cannot) and
 * {@code GET /ready} (200 once every listener is up), on a port of its own so that they answer when
 * HTTP announces are off. One event loop is plenty for probes. With the fleet store, {@code GET
 * /fleet} answers the members and what each owns (JSON). The dashboard ({@code /}, {@code
 * /api/v1/stats}, ...) is served here; other paths under {@code /api/} go to the registry's REST
 * API.
 */
final class AdminServer {
  /** Where the registry's REST API lives. */
  static final String API = "/api/";

  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /**
   * @param health null while healthy, else why not
   * @param ready whether the node serves
   * @param fleet the fleet's members and counts, or null without a fleet
   */
  static Future<AdminServer> start(
      Vertx vertx,
      AdminOptions options,
      Supplier<String> health,
      java.util.function.BooleanSupplier ready,
      Supplier<JsonObject> fleet,
      io.vertx.core.Handler<HttpServerRequest> metrics,
      io.vertx.core.Handler<HttpServerRequest> api,
      DashboardEndpoint dashboard,
      Supplier<String> degraded) {
    HttpServer server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(options.getHost())
                .setPort(options.getPort())
                .setIdleTimeout(30)
                // HTTP/1.1 only: a client asking to upgrade to h2c (Java's HttpClient does by
                // default) was left waiting until the idle timeout closed the connection.
                .setHttp2ClearTextEnabled(false));
    return server
        .requestHandler(
            request -> {
              if (dashboard.serves(request.path())) {
                dashboard.handle(request);
              } else if (request.path().startsWith(API)) {
                api.handle(request);
              } else if (request.path().equals("/fleet") && request.method() == HttpMethod.GET) {
                fleet(request, fleet);
              } else if (request.path().equals("/metrics") && request.method() == HttpMethod.GET) {
                metrics.handle(request);
              } else {
                answer(request, health.get(), ready.getAsBoolean(), degraded.get());
              }
            })
        .listen()
        .map(s -> new AdminServer(s));
  }

  /**
   * @param degraded null, or what works less well while the node still serves (it stays ready: a
   *     load balancer should keep sending it traffic)
   */
  private static void answer(
      HttpServerRequest request, String failure, boolean ready, String degraded) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      text(request, 405, "only GET\n");
      return;
    }
    switch (request.path()) {
      case "/health" ->
          text(
              request,
              failure == null ? 200 : 503,
              failure == null ? "ok\n" : "failed: " + failure + "\n");
      case "/ready" ->
          text(
              request,
              ready && failure == null ? 200 : 503,
              failure != null
                  ? "failed\n"
                  : !ready
                      ? "not ready\n"
                      : degraded == null ? "ready\n" : "ready; " + degraded + "\n");
      default ->
          text(
              request,
              404,
              "not found: /, /health, /ready, /metrics, /fleet and /api/v1/stats are served here\n");
    }
  }

  private static void fleet(HttpServerRequest request, Supplier<JsonObject> fleet) {
    if (fleet == null) {
      text(request, 404, "no fleet: this node keeps its swarms in memory (--store memory)\n");
      return;
    }
    request
        .response()
        .putHeader("content-type", "application/json")
        .end(fleet.get().encodePrettily() + "\n");
  }

  private static void text(HttpServerRequest request, int status, String body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .end(body);
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }
}
