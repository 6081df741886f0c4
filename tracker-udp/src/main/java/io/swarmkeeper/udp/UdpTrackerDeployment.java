package io.swarmkeeper.udp;

import io.swarmkeeper.udp.UdpTrackerOptions.UdpTransport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Deploys the UDP tracker as one verticle per event loop on one port. The first instance checks
 * that no one holds the port and binds it (a port of 0 picks a free one); the others join its port
 * with SO_REUSEPORT. Without the epoll path there is no SO_REUSEPORT to share the port, so a single
 * instance serves it.
 */
public final class UdpTrackerDeployment {
  private final Vertx vertx;
  private final List<String> deploymentIds;
  private final int port;
  private final UdpTransport transport;
  private final int instances;

  private UdpTrackerDeployment(
      Vertx vertx, List<String> deploymentIds, int port, UdpTransport transport, int instances) {
    this.vertx = vertx;
    this.deploymentIds = deploymentIds;
    this.port = port;
    this.transport = transport;
    this.instances = instances;
  }

  public static Future<UdpTrackerDeployment> deploy(
      Vertx vertx, UdpTrackerOptions options, UdpTrackerHandler handler, int instances) {
    return deploy(vertx, options, instances, new UdpTrackerVerticle(options, handler));
  }

  /**
   * @param failed told when a listener dies while serving (see {@link UdpTrackerVerticle})
   */
  public static Future<UdpTrackerDeployment> deploy(
      Vertx vertx,
      UdpTrackerOptions options,
      UdpTrackerHandler handler,
      int instances,
      Handler<Throwable> failed) {
    return deploy(
        vertx, options, instances, new UdpTrackerVerticle(options, handler, failed, true));
  }

  private static Future<UdpTrackerDeployment> deploy(
      Vertx vertx, UdpTrackerOptions options, int instances, UdpTrackerVerticle first) {
    if (instances < 1) {
      return Future.failedFuture(
          new IllegalArgumentException("instances must be >= 1, got " + instances));
    }
    List<String> ids = new ArrayList<>();
    return vertx
        .deployVerticle(first)
        .compose(
            id -> {
              ids.add(id);
              int port = first.boundPort();
              UdpTransport transport = first.transportInUse();
              int more = transport == UdpTransport.EPOLL ? instances - 1 : 0;
              if (more == 0) {
                return Future.succeededFuture(
                    new UdpTrackerDeployment(vertx, ids, port, transport, 1));
              }
              UdpTrackerOptions same = new UdpTrackerOptions(options).setPort(port);
              return vertx
                  .deployVerticle(
                      () -> first.joining(same), new DeploymentOptions().setInstances(more))
                  .map(
                      id2 -> {
                        ids.add(id2);
                        return new UdpTrackerDeployment(vertx, ids, port, transport, more + 1);
                      });
            });
  }

  public int port() {
    return port;
  }

  public UdpTransport transport() {
    return transport;
  }

  public int instances() {
    return instances;
  }

  public Future<Void> undeploy() {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : deploymentIds) {
      all.add(vertx.undeploy(id));
    }
    return Future.all(all).mapEmpty();
  }
}
