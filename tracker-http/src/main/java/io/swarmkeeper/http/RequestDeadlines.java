package io.swarmkeeper.http;

import io.swarmkeeper.http.HttpTrackerCounters.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A deadline per connection for its next complete request head, on one event loop. Vert.x's idle
 * timeout restarts at every byte, so a client that trickles a byte every few seconds would hold its
 * connection (and a descriptor) for ever; here the clock runs from the connection's opening or its
 * previous answer until a whole request head has arrived, bytes or not. One periodic sweep per loop
 * checks the deadlines, so a request costs a map update and no timer of its own.
 */
final class RequestDeadlines {
  private static final long NONE = Long.MAX_VALUE;

  private final Vertx vertx;
  private final long timeoutNanos;
  private final HttpTrackerCounters counters;
  private final Map<HttpConnection, long[]> deadlines = new IdentityHashMap<>();
  private long sweepTimer;

  /** Call on the event loop that will own the connections (a verticle's start). */
  RequestDeadlines(Vertx vertx, long timeoutMillis, HttpTrackerCounters counters) {
    this.vertx = vertx;
    this.timeoutNanos = timeoutMillis * 1_000_000L;
    this.counters = counters;
    // a quarter of the timeout, so a deadline is kept to within 25 % of it
    long period = Math.max(50, Math.min(1000, timeoutMillis / 4));
    this.sweepTimer = vertx.setPeriodic(period, id -> sweep());
  }

  void opened(HttpConnection connection) {
    deadlines.put(connection, new long[] {System.nanoTime() + timeoutNanos});
  }

  /** A whole request head arrived: no deadline while it is being answered. */
  void requestArrived(HttpConnection connection) {
    long[] d = deadlines.get(connection);
    if (d != null) {
      d[0] = NONE;
    }
  }

  /** Its answer is sent: the next request must come within the timeout. */
  void answered(HttpConnection connection) {
    long[] d = deadlines.get(connection);
    if (d != null) {
      d[0] = System.nanoTime() + timeoutNanos;
    }
  }

  void closed(HttpConnection connection) {
    deadlines.remove(connection);
  }

  void stop() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    List<HttpConnection> late = null;
    for (Iterator<Map.Entry<HttpConnection, long[]>> it = deadlines.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<HttpConnection, long[]> e = it.next();
      long deadline = e.getValue()[0];
      if (deadline != NONE && now - deadline > 0) {
        if (late == null) {
          late = new ArrayList<>();
        }
        late.add(e.getKey());
        it.remove();
      }
    }
    if (late != null) {
      for (HttpConnection c : late) {
        counters.count(Counter.REQUEST_TIMEOUTS);
        c.close(); // closing may call back into closed(): not while iterating
      }
    }
  }
}
