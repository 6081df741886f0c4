package io.swarmkeeper.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpTrackerOptionsTest {

  @Test
  void defaultsFitAPublicTracker() {
    HttpTrackerOptions o = new HttpTrackerOptions();
    assertThat(o.getMaxConnections()).isEqualTo(10_000);
    assertThat(o.getMaxConnectionsPerAddress()).isEqualTo(128);
    assertThat(o.getIdleTimeoutSeconds()).isEqualTo(20);
    assertThat(o.getRequestTimeoutSeconds()).isEqualTo(10);
    assertThat(o.getProxyHeader()).isEqualTo(ProxyHeader.X_FORWARDED_FOR);
    assertThat(o.getTrustedProxies()).isEmpty();
  }

  @Test
  void jsonRoundTripsAndCopiesKeepEveryOption() {
    HttpTrackerOptions o =
        new HttpTrackerOptions()
            .setHost("127.0.0.1")
            .setPort(7000)
            .setTrustedProxies(List.of("10.0.0.0/8", "fd00::/8"))
            .setProxyHeader(ProxyHeader.FORWARDED)
            .setAllowFullScrape(true)
            .setAllowIpParameter(true)
            .setMaxConnections(500)
            .setMaxConnectionsPerAddress(0)
            .setIdleTimeoutSeconds(30)
            .setRequestTimeoutSeconds(5);
    assertThat(new HttpTrackerOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
    assertThat(new HttpTrackerOptions(o).toJson()).isEqualTo(o.toJson());
    assertThat(new HttpTrackerOptions(new JsonObject()).toJson())
        .isEqualTo(new HttpTrackerOptions().toJson());
    assertThat(o.toJson().getString("proxy-header")).isEqualTo("forwarded");
  }

  @Test
  void badValuesAreRefusedNamingKeyAndValue() {
    String[][] cases = {
      {"{\"max-connections\": 0}", "http.max-connections must be >= 1, got 0"},
      {"{\"max-connections-per-address\": -1}", "http.max-connections-per-address must be >= 0"},
      {"{\"idle-timeout-seconds\": 0}", "http.idle-timeout-seconds must be 1..3600, got 0"},
      {"{\"request-timeout-seconds\": 4000}", "http.request-timeout-seconds must be 1..3600"},
      {"{\"request-timeout-seconds\": 1.5}", "http.request-timeout-seconds must be a whole number"},
      {"{\"max-connections\": 4294967297}", "got '4294967297'"},
      {"{\"max-connections\": \"100\"}", "http.max-connections must be a whole number"},
      {"{\"proxy-header\": \"x-client-ip\"}", "http.proxy-header must be one of"},
      {"{\"trusted-proxies\": \"10.0.0.0/33\"}", "http.trusted-proxies: '10.0.0.0/33'"},
      {"{\"allow-full-scrape\": \"yes\"}", "http.allow-full-scrape must be true or false"},
      {"{\"max-conections\": 5}", "unknown option http.max-conections"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> new HttpTrackerOptions(new JsonObject(c[0])))
          .as(c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(c[1]);
    }
  }
}
