package io.swarmkeeper.http;

import static io.swarmkeeper.http.TrackerUnderTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.swarmkeeper.http.HttpTrackerCounters.Counter;
import io.swarmkeeper.http.TrackerUnderTest.Response;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection caps and timeouts over real TCP on loopback, with two event loops sharing the caps.
 */
class ConnectionLimitsIntegrationTest {
  private static final byte[] HEALTH =
      "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private TrackerUnderTest tracker;
  private final List<Socket> held = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Socket s : held) {
      s.close();
    }
    if (tracker != null) {
      tracker.close();
    }
  }

  private static HttpTrackerOptions timeouts(int idleSeconds, int requestSeconds) {
    return new HttpTrackerOptions()
        .setHost("127.0.0.1")
        .setIdleTimeoutSeconds(idleSeconds)
        .setRequestTimeoutSeconds(requestSeconds);
  }

  /** Timeouts far longer than a test, so held connections stay open however slow the machine. */
  private static HttpTrackerOptions patient() {
    return timeouts(60, 60);
  }

  /** A kept-alive connection that has been served once, so the server has surely counted it. */
  private Socket served(String from) throws Exception {
    Socket s = tracker.connect(from);
    held.add(s);
    s.getOutputStream().write(HEALTH);
    assertThat(Response.read(s.getInputStream()).status()).isEqualTo(200);
    return s;
  }

  /** Whether the server closed the connection without answering (EOF or reset). */
  private static boolean closedByServer(Socket s) throws Exception {
    try {
      s.getOutputStream().write(HEALTH);
      return s.getInputStream().read() < 0;
    } catch (SocketException reset) {
      return true;
    }
  }

  @Test
  void connectionsPastThePerAddressCapAreClosedWhileOtherAddressesAreServed() throws Exception {
    tracker = new TrackerUnderTest(patient().setMaxConnectionsPerAddress(4));
    for (int i = 0; i < 4; i++) {
      served("127.0.0.1");
    }
    Socket extra = tracker.connect("127.0.0.1");
    held.add(extra);
    assertThat(closedByServer(extra)).isTrue();
    assertThat(tracker.counters().get(Counter.CONNECTIONS_OVER_ADDRESS_CAP)).isEqualTo(1);
    // another address is served meanwhile
    assertThat(tracker.send("127.0.0.2", "GET", "/health").status()).isEqualTo(200);
    // a closed connection gives its place back
    held.get(0).close();
    eventually(() -> tracker.counters().openConnections() == 3);
    served("127.0.0.1");
    assertThat(tracker.counters().openConnections()).isEqualTo(4);
  }

  @Test
  void connectionsPastTheTotalCapAreClosed() throws Exception {
    tracker = new TrackerUnderTest(patient().setMaxConnections(3));
    served("127.0.0.1");
    served("127.0.0.2");
    served("127.0.0.3");
    Socket extra = tracker.connect("127.0.0.4");
    held.add(extra);
    assertThat(closedByServer(extra)).isTrue();
    assertThat(tracker.counters().get(Counter.CONNECTIONS_OVER_TOTAL_CAP)).isEqualTo(1);
  }

  @Test
  void aTrustedProxyHasNoPerAddressCap() throws Exception {
    tracker =
        new TrackerUnderTest(
            patient().setMaxConnectionsPerAddress(2).setTrustedProxies(List.of("127.0.0.1")));
    for (int i = 0; i < 5; i++) {
      served("127.0.0.1");
    }
    assertThat(tracker.counters().get(Counter.CONNECTIONS_OVER_ADDRESS_CAP)).isZero();
  }

  @Test
  void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    tracker = new TrackerUnderTest(timeouts(1, 60));
    Socket s = served("127.0.0.1");
    s.setSoTimeout(15_000); // far past the timeout: a close must come before
    assertThat(s.getInputStream().read()).isEqualTo(-1);
    eventually(() -> tracker.counters().openConnections() == 0);
  }

  @Test
  void aClientTricklingItsRequestIsCutAtTheRequestDeadline() throws Exception {
    tracker = new TrackerUnderTest(timeouts(60, 2));
    Socket s = tracker.connect("127.0.0.1");
    held.add(s);
    assertThat(trickledUntilClosed(s)).as("cut before the trickle finished its request").isTrue();
    assertThat(tracker.counters().get(Counter.REQUEST_TIMEOUTS)).isEqualTo(1);
  }

  @Test
  void aKeptAliveClientTricklingItsNextRequestIsCutToo() throws Exception {
    tracker = new TrackerUnderTest(timeouts(60, 2));
    Socket s = served("127.0.0.1");
    assertThat(trickledUntilClosed(s)).as("cut before the trickle finished its request").isTrue();
    assertThat(tracker.counters().get(Counter.REQUEST_TIMEOUTS)).isEqualTo(1);
  }

  /**
   * Sends a request head a byte every 250 ms (15 s for all of it; each byte resets any idle
   * timeout) and answers whether the server closed the connection before the head was complete.
   */
  private static boolean trickledUntilClosed(Socket s) throws Exception {
    s.setSoTimeout(250);
    byte[] request =
        ("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(60) + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    InputStream in = s.getInputStream();
    for (int i = 0; i < request.length - 4; i++) {
      try {
        s.getOutputStream().write(request[i]);
        int b = in.read();
        assertThat(b).as("no answer to a request never completed").isEqualTo(-1);
        return true;
      } catch (SocketTimeoutException stillOpen) {
        // next byte
      } catch (SocketException reset) {
        return true;
      }
    }
    return false;
  }

  @Test
  void keptAliveConnectionsGetAFreshDeadlineForEachRequest() throws Exception {
    tracker = new TrackerUnderTest(timeouts(60, 2));
    Socket s = served("127.0.0.1");
    for (int i = 0; i < 3; i++) {
      Thread.sleep(1000); // within the deadline each time, 3 s in all
      s.getOutputStream().write(HEALTH);
      assertThat(Response.read(s.getInputStream()).status()).isEqualTo(200);
    }
    assertThat(tracker.counters().get(Counter.REQUEST_TIMEOUTS)).isZero();
  }
}
