package io.swarmkeeper.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP tracker on one event loop. Deploy one per event loop on one port ({@link #deploy}):
 * Vert.x shares the listening socket between them and spreads connections over the loops.
 */
public final class HttpTrackerVerticle extends VerticleBase {
  private final HttpTrackerOptions options;
  private final HttpTrackerHandler handler;
  private volatile int boundPort = -1;
  private HttpServer server;

  public HttpTrackerVerticle(HttpTrackerOptions options, HttpTrackerHandler handler) {
    this.options = new HttpTrackerOptions(options);
    this.handler = handler;
  }

  public int boundPort() {
    return boundPort;
  }

  @Override
  public Future<?> start() {
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(options.getHost())
                .setPort(options.getPort())
                .setTcpNoDelay(true)
                .setIdleTimeout(120));
    return server.requestHandler(handler).listen().onSuccess(s -> boundPort = s.actualPort());
  }

  @Override
  public Future<?> stop() {
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

  /** What {@link #deploy} started. */
  public record Deployed(int port, List<String> deploymentIds) {}
}
