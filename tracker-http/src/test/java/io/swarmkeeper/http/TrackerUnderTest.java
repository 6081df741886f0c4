package io.swarmkeeper.http;

import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.Bencode;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.LocalSwarmStore;
import io.swarmkeeper.swarm.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An HTTP tracker on loopback (two verticles on two event loops sharing one handler, as the node
 * runs it) and a raw HTTP/1.1 client that sends exactly the bytes a test gives, from a chosen
 * loopback address.
 */
final class TrackerUnderTest {
  final Vertx vertx = Vertx.vertx();
  final LocalSwarmStore store = new LocalSwarmStore(Ticker.system(), 3600);
  final HttpTrackerHandler handler;
  final int port;

  TrackerUnderTest(HttpTrackerOptions options, AnnounceLimits limits) throws Exception {
    this(options, limits, () -> true);
  }

  TrackerUnderTest(HttpTrackerOptions options, AnnounceLimits limits, BooleanSupplier healthy)
      throws Exception {
    handler =
        new HttpTrackerHandler(
            store, IntervalPolicy.fixed(1800), limits, options, () -> true, healthy);
    port =
        await(
                HttpTrackerVerticle.deploy(
                    vertx, new HttpTrackerOptions(options).setPort(0), handler, 2))
            .port();
  }

  TrackerUnderTest(HttpTrackerOptions options) throws Exception {
    this(options, new AnnounceLimits(50, 200, 74));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  HttpTrackerCounters counters() {
    return handler.counters();
  }

  void close() throws Exception {
    await(vertx.close());
  }

  /**
   * A connection from {@code localAddress} (127.0.0.1, 127.0.0.2, ... all reach loopback; ::1 for
   * IPv6).
   */
  Socket connect(String localAddress) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(localAddress, 0));
    String server = localAddress.indexOf(':') >= 0 ? "::1" : "127.0.0.1";
    s.connect(new InetSocketAddress(server, port), 5000);
    s.setSoTimeout(10_000);
    return s;
  }

  /** One request on a new connection from {@code localAddress}, closed after the answer. */
  Response send(String localAddress, String method, String target, String... headerLines)
      throws Exception {
    try (Socket s = connect(localAddress)) {
      StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: x\r\n");
      for (String h : headerLines) {
        req.append(h).append("\r\n");
      }
      req.append("Connection: close\r\n\r\n");
      s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      return Response.read(s.getInputStream());
    }
  }

  Response get(String target, String... headerLines) throws Exception {
    return send("127.0.0.1", "GET", target, headerLines);
  }

  /** Waits (up to 10 s) until {@code condition} holds: for what the server does after a close. */
  static void eventually(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not reached within 10 s");
      }
      Thread.sleep(20);
    }
  }

  /** A parsed HTTP/1.x answer. */
  record Response(int status, String head, byte[] body) {
    /** Reads one answer with a Content-Length, or one that ends with the connection. */
    static Response read(InputStream in) throws Exception {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          throw new java.io.EOFException("connection closed before a whole answer: " + head);
        }
        head.write(c);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(text.substring(9, 12));
      String lower = text.toLowerCase(Locale.ROOT);
      int at = lower.indexOf("content-length:");
      byte[] body;
      if (at >= 0) {
        int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
        body = in.readNBytes(length);
      } else {
        body = in.readAllBytes();
      }
      return new Response(status, text, body);
    }

    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> bencoded() {
      return (java.util.Map<String, Object>) Bencode.decode(body);
    }

    String failure() {
      Object f = bencoded().get("failure reason");
      return f == null ? null : new String((byte[]) f, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return head + Arrays.toString(body);
    }
  }
}
