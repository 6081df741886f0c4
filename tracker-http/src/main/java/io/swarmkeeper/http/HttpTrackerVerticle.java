package io.swarmkeeper.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP tracker on one event loop. Deploy one per event loop on one port ({@link #deploy}):
 * Vert.x shares the listening socket between them and spreads connections over the loops. Every
 * connection passes the handler's {@link ConnectionGuard} (caps shared by all loops) and has a
 * {@link RequestDeadlines deadline} for each request head; HTTP/1.x only (no h2c).
 */
public final class HttpTrackerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTrackerVerticle.class);

  private final HttpTrackerOptions options;
  private final HttpTrackerHandler handler;
  private volatile int boundPort = -1;
  private HttpServer server;
  private RequestDeadlines deadlines;

  public HttpTrackerVerticle(HttpTrackerOptions options, HttpTrackerHandler handler) {
    this.options = new HttpTrackerOptions(options);
    this.handler = handler;
  }

  public int boundPort() {
    return boundPort;
  }

  @Override
  public Future<?> start() {
    ConnectionGuard guard = handler.connectionGuard();
    deadlines =
        new RequestDeadlines(vertx, options.getRequestTimeoutSeconds() * 1000L, handler.counters());
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(options.getHost())
                .setPort(options.getPort())
                .setTcpNoDelay(true)
                .setIdleTimeout(options.getIdleTimeoutSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(handler.maxRequestLineLength())
                // no BitTorrent client speaks HTTP/2 to a tracker, and with h2c on Vert.x makes a
                // connection (and calls the connection handler, where the caps are) only after its
                // first bytes: idle sockets would never be counted
                .setHttp2ClearTextEnabled(false));
    return server
        .connectionHandler(connection -> connected(guard, connection))
        .invalidRequestHandler(handler::invalid)
        .requestHandler(this::request)
        .listen()
        .onSuccess(s -> boundPort = s.actualPort());
  }

  private void connected(ConnectionGuard guard, HttpConnection connection) {
    byte[] address = IpLiteral.bytes(connection.remoteAddress().hostAddress());
    ConnectionGuard.Source admitted = address == null ? null : guard.admit(address);
    if (admitted == null) {
      connection.close();
      return;
    }
    deadlines.opened(connection);
    connection.closeHandler(
        v -> {
          guard.release(admitted);
          deadlines.closed(connection);
        });
  }

  private void request(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    deadlines.requestArrived(connection);
    request.response().endHandler(v -> deadlines.answered(connection));
    handler.handle(request);
  }

  @Override
  public Future<?> stop() {
    if (deadlines != null) {
      deadlines.stop();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Deploys {@code instances} verticles on one port; answers the port bound and the ids. */
  public static Future<Deployed> deploy(
      Vertx vertx, HttpTrackerOptions options, HttpTrackerHandler handler, int instances) {
    if (options.getPort() == 0 && instances > 1) {
      // Vert.x shares a listening socket between servers of one host and port; a server bound to
      // port 0 is not found again under the port it got, so pick the free port first (tests).
      try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
        options = new HttpTrackerOptions(options).setPort(probe.getLocalPort());
      } catch (java.io.IOException e) {
        return Future.failedFuture(e);
      }
    }
    logConnectionCaps(options, handler.connectionGuard());
    HttpTrackerVerticle first = new HttpTrackerVerticle(options, handler);
    List<String> ids = new ArrayList<>();
    return vertx
        .deployVerticle(first)
        .compose(
            id -> {
              ids.add(id);
              int port = first.boundPort();
              if (instances <= 1) {
                return Future.succeededFuture(new Deployed(port, ids));
              }
              HttpTrackerOptions same = new HttpTrackerOptions(first.options).setPort(port);
              return vertx
                  .deployVerticle(
                      () -> new HttpTrackerVerticle(same, handler),
                      new DeploymentOptions().setInstances(instances - 1))
                  .map(
                      id2 -> {
                        ids.add(id2);
                        return new Deployed(port, ids);
                      });
            });
  }

  private static void logConnectionCaps(HttpTrackerOptions options, ConnectionGuard guard) {
    long limit = ConnectionGuard.openFileLimit();
    if (guard.maxConnections() < options.getMaxConnections()) {
      LOG.warn(
          "HTTP connections capped at {}, not http.max-connections {}: the open-file limit is {}"
              + " (raise it with ulimit -n or LimitNOFILE=)",
          guard.maxConnections(),
          options.getMaxConnections(),
          limit);
    } else {
      LOG.info(
          "HTTP connections capped at {} ({} per address); open-file limit {}",
          guard.maxConnections(),
          options.getMaxConnectionsPerAddress() == 0
              ? "no cap"
              : String.valueOf(options.getMaxConnectionsPerAddress()),
          limit < 0 ? "unknown" : String.valueOf(limit));
    }
  }

  /** What {@link #deploy} started. */
  public record Deployed(int port, List<String> deploymentIds) {}
}
