package io.swarmkeeper.server;

import io.swarmkeeper.registry.AccessControlledStore;
import io.swarmkeeper.registry.CompletedCounts;
import io.swarmkeeper.registry.CountingStore;
import io.swarmkeeper.registry.RegistryApi;
import io.swarmkeeper.registry.TorrentRegistry;
import io.swarmkeeper.swarm.SwarmStore;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The node's registry: opened before the trackers exist (the schema migrated, the pool and the
 * change listener connected), the store the trackers announce into in whitelist mode, and the
 * {@code /api/} paths: the REST API, or without a database a 404 that says how to turn it on.
 */
final class RegistryEndpoint {
  /** How long the start waits for the database before giving up with its name. */
  static final long OPEN_TIMEOUT_SECONDS = 60;

  private RegistryEndpoint() {}

  /**
   * Opens the registry when {@code database.url} is set (null otherwise); blocks the caller.
   *
   * @throws IllegalStateException naming the database (password hidden) and the cause
   */
  static TorrentRegistry open(Vertx vertx, NodeOptions options) throws InterruptedException {
    DatabaseOptions database = options.getDatabase();
    if (!database.enabled()) {
      return null;
    }
    try {
      return TorrentRegistry.open(vertx, database.getUrl(), database.getPoolSize())
          .toCompletionStage()
          .toCompletableFuture()
          .get(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot open the registry database "
              + DatabaseOptions.redacted(database.getUrl())
              + ": "
              + rootMessage(e),
          e);
    }
  }

  /**
   * The completed counts kept in the registry (null without one), and the store that feeds them:
   * {@code store} with its completions counted, or {@code store} itself without a registry.
   */
  record Counted(CompletedCounts counts, SwarmStore store) {}

  static Counted counted(SwarmStore store, TorrentRegistry registry, NodeOptions options) {
    if (registry == null) {
      return new Counted(null, store);
    }
    CompletedOptions completed = options.getCompleted();
    CompletedCounts counts =
        new CompletedCounts(
            registry,
            completed.getMaxPending(),
            options.getAccess().getCacheSize(),
            Duration.ofDays(completed.getRetentionDays()));
    return new Counted(counts, new CountingStore(store, counts));
  }

  /**
   * What the trackers announce into: in whitelist mode only registered torrents' swarms, in private
   * mode those only with a valid passkey.
   */
  static SwarmStore trackerStore(SwarmStore store, TorrentRegistry registry, NodeOptions options) {
    AccessOptions access = options.getAccess();
    Duration expiry = Duration.ofSeconds(access.getCacheSeconds());
    return switch (access.getMode()) {
      case PUBLIC -> store;
      case WHITELIST ->
          AccessControlledStore.whitelist(store, registry, access.getCacheSize(), expiry);
      case PRIVATE ->
          AccessControlledStore.privateTracker(store, registry, access.getCacheSize(), expiry);
    };
  }

  /** The handler of {@code /api/...}. */
  static Handler<HttpServerRequest> api(
      Vertx vertx,
      TorrentRegistry registry,
      NodeOptions options,
      SwarmStore store,
      Function<String, List<String>> urls) {
    if (registry == null) {
      return RegistryApi.refusing(
          404,
          "no torrent registry on this node: start it with --database"
              + " postgres://USER:PASS@HOST:PORT/DB");
    }
    return new RegistryApi(registry, store, options.getApi().getToken(), urls).router(vertx);
  }

  private static String rootMessage(Throwable e) {
    if (e instanceof TimeoutException) {
      return "no answer in " + OPEN_TIMEOUT_SECONDS + " s";
    }
    return SwarmkeeperNode.causeText(e);
  }
}
