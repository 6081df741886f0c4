package io.swarmkeeper.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document names exactly the routes the API serves, with their methods. */
class OpenApiTest {
  @Test
  void documentsEveryRouteAndNothingElse() {
    Vertx vertx = Vertx.vertx();
    try {
      Router router =
          new RegistryApi(null, null, "token-of-sixteen", host -> List.of()).router(vertx);
      Set<String> served = new TreeSet<>();
      for (Route route : router.getRoutes()) {
        String path = route.getPath();
        if (path == null || route.methods() == null || path.endsWith("/") || path.endsWith("*")) {
          continue; // the prefix routes: the writers' token check, the catch-all 404
        }
        for (HttpMethod m : route.methods()) {
          served.add(m.name() + " " + path.replaceAll(":([a-z]+)", "{$1}"));
        }
      }
      JsonObject doc = new JsonObject(RegistryApi.OPENAPI);
      Set<String> documented = new TreeSet<>();
      JsonObject paths = doc.getJsonObject("paths");
      for (String path : paths.fieldNames()) {
        for (String method : paths.getJsonObject(path).fieldNames()) {
          if (!method.equals("parameters")) {
            documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path);
          }
        }
      }
      assertThat(served).hasSizeGreaterThanOrEqualTo(9).isEqualTo(documented);
      assertThat(doc.getString("openapi")).startsWith("3.");
    } finally {
      vertx.close();
    }
  }
}
