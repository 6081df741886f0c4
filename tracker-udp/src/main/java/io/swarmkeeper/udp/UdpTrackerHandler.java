package io.swarmkeeper.udp;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.swarmkeeper.swarm.AnnounceCall;
import io.swarmkeeper.swarm.AnnounceEvent;
import io.swarmkeeper.swarm.AnnounceLimits;
import io.swarmkeeper.swarm.AnnounceRefusedException;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.IntervalPolicy;
import io.swarmkeeper.swarm.PasskeyPath;
import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.RateLimiter;
import io.swarmkeeper.swarm.RequestMeters.Outcome;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.swarm.StoreBusyException;
import io.swarmkeeper.swarm.SwarmStore;
import io.swarmkeeper.udp.UdpTrackerMetrics.Action;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one datagram, whatever I/O path delivered it: decode, check the connection id, call the
 * store, encode the answer. Never throws: a failure is counted and the datagram dropped.
 */
public final class UdpTrackerHandler {
  private static final Logger LOG = LoggerFactory.getLogger(UdpTrackerHandler.class);

  /**
   * The largest answer that crosses any path in one datagram: IPv6 guarantees a 1,280-byte MTU,
   * minus its 40-byte header and UDP's 8 leave 1,232 bytes; 1,200 (QUIC's figure, RFC 9000) keeps
   * room for a tunnel's header too. A larger answer is fragmented, and one lost fragment loses it.
   */
  static final int MAX_DATAGRAM_BYTES = 1200;

  /** (1200 - 20) / 6: what fits after the announce header, whatever max-numwant allows. */
  static final int MAX_IPV4_PEERS =
      (MAX_DATAGRAM_BYTES - UdpResponseCodec.ANNOUNCE_HEADER_SIZE)
          / UdpResponseCodec.IPV4_PEER_SIZE;

  /** (1200 - 20) / 18. */
  static final int MAX_IPV6_PEERS =
      (MAX_DATAGRAM_BYTES - UdpResponseCodec.ANNOUNCE_HEADER_SIZE)
          / UdpResponseCodec.IPV6_PEER_SIZE;

  /** Where answers go: the I/O path's allocator and socket. */
  public interface Responder {
    ByteBuf allocate(int bytes);

    void send(ByteBuf response, InetSocketAddress recipient);
  }

  /** Each event loop's announce, reused from one datagram to the next. */
  private static final FastThreadLocal<AnnounceCall> CALLS =
      new FastThreadLocal<>() {
        @Override
        protected AnnounceCall initialValue() {
          return new AnnounceCall();
        }
      };

  private final SwarmStore store;
  private final ConnectionIds connectionIds;
  private final IntervalPolicy intervalPolicy;
  private final AnnounceLimits limits;
  private final boolean allowIpOverride;
  private final UdpTrackerMetrics metrics;
  private final RateLimiter rateLimiter;
  private final AtomicLong lastStoreWarning = new AtomicLong(System.nanoTime() - 20_000_000_000L);

  public UdpTrackerHandler(
      SwarmStore store,
      ConnectionIds connectionIds,
      IntervalPolicy intervalPolicy,
      AnnounceLimits limits,
      boolean allowIpOverride,
      UdpTrackerMetrics metrics) {
    this(store, connectionIds, intervalPolicy, limits, allowIpOverride, metrics, RateLimiter.off());
  }

  public UdpTrackerHandler(
      SwarmStore store,
      ConnectionIds connectionIds,
      IntervalPolicy intervalPolicy,
      AnnounceLimits limits,
      boolean allowIpOverride,
      UdpTrackerMetrics metrics,
      RateLimiter rateLimiter) {
    this.rateLimiter = rateLimiter;
    this.store = store;
    this.connectionIds = connectionIds;
    this.intervalPolicy = intervalPolicy;
    this.limits = limits;
    this.allowIpOverride = allowIpOverride;
    this.metrics = metrics;
  }

  public void handle(ByteBuf packet, InetSocketAddress sender, Responder out) {
    try {
      serve(packet, sender, out);
    } catch (RuntimeException e) {
      metrics.handlerFailure();
      LOG.warn("datagram from {} failed: {}", sender, e.toString());
    }
  }

  private void serve(ByteBuf packet, InetSocketAddress sender, Responder out) {
    long start = System.nanoTime();
    // The source address as PeerEndpoint holds it, in three locals rather than an object.
    InetAddress address = sender.getAddress();
    boolean v6;
    long high;
    long low;
    if (address instanceof Inet4Address v4) {
      v6 = false;
      high = 0;
      low = PeerEndpoint.ipv4Bits(v4) & 0xFFFFFFFFL;
    } else {
      PeerEndpoint p = PeerEndpoint.of(address, 0); // an IPv4-mapped address comes out as IPv4
      v6 = p.ipv6();
      high = p.high();
      low = p.low();
    }
    if (!rateLimiter.tryAcquire(v6, high, low)) {
      // Silence: an answer, even an error, would let a spoofed source amplify through us.
      Action action =
          packet.readableBytes() >= 12 ? Action.of(UdpCodec.action(packet)) : Action.OTHER;
      metrics.outcome(action, Outcome.RATE_LIMITED);
      return;
    }
    if (packet.readableBytes() >= UdpCodec.HEADER_SIZE
        && UdpCodec.action(packet) == UdpCodec.ACTION_ANNOUNCE) {
      // The common request, read where it lies: no request object is made of it.
      UdpRequest.Malformed fault = UdpCodec.announceFault(packet);
      if (fault != null) {
        malformed(fault, v6, high, low, sender, out);
      } else if (verified(Action.ANNOUNCE, UdpCodec.connectionId(packet), v6, high, low)) {
        announce(packet, v6, high, low, sender, out, start);
      }
      return;
    }
    UdpRequest request = UdpCodec.decode(packet, limits.maxScrapeHashes());
    if (request instanceof UdpRequest.Connect connect) {
      ByteBuf buf = out.allocate(UdpResponseCodec.CONNECT_SIZE);
      UdpResponseCodec.writeConnect(
          buf, connect.transactionId(), connectionIds.issue(v6, high, low));
      out.send(buf, sender);
      metrics.served(Action.CONNECT, start);
    } else if (request instanceof UdpRequest.Scrape scrape) {
      if (verified(Action.SCRAPE, scrape.connectionId(), v6, high, low)) {
        scrape(scrape, sender, out, start);
      }
    } else if (request instanceof UdpRequest.Malformed malformed) {
      malformed(malformed, v6, high, low, sender, out);
    } else if (request instanceof UdpRequest.Garbage garbage) {
      metrics.rejected(garbage.reason());
      metrics.outcome(Action.OTHER, Outcome.DROPPED);
    }
  }

  /** A request whose connection id checks out is told what is wrong with it. */
  private void malformed(
      UdpRequest.Malformed malformed,
      boolean v6,
      long high,
      long low,
      InetSocketAddress sender,
      Responder out) {
    Action action = actionOf(malformed.reason());
    if (verified(action, malformed.connectionId(), v6, high, low)) {
      metrics.rejected(malformed.reason());
      metrics.outcome(action, Outcome.ERROR);
      sendError(out, sender, malformed.transactionId(), malformed.message());
    }
  }

  /** The action a malformed request was meant to be, as far as its fault says. */
  private static Action actionOf(DropReason reason) {
    return switch (reason) {
      case BAD_EVENT, BAD_PORT, BAD_OPTIONS -> Action.ANNOUNCE;
      case BAD_SCRAPE -> Action.SCRAPE;
      default -> Action.OTHER;
    };
  }

  /** A request whose id this tracker did not issue, or issued too long ago, gets silence. */
  private boolean verified(Action action, long connectionId, boolean v6, long high, long low) {
    if (connectionIds.verify(connectionId, v6, high, low)) {
      return true;
    }
    metrics.rejected(DropReason.BAD_CONNECTION_ID);
    metrics.outcome(action, Outcome.BAD_CONNECTION_ID);
    return false;
  }

  /**
   * A well-formed announce: read into this thread's call, answered inline by a store that can (no
   * allocation on the way), else through the store's future.
   */
  private void announce(
      ByteBuf packet,
      boolean v6,
      long high,
      long low,
      InetSocketAddress sender,
      Responder out,
      long start) {
    AnnounceCall call = CALLS.get();
    int ipAddress = UdpCodec.announceIpAddress(packet);
    int port = UdpCodec.announcePort(packet);
    if (allowIpOverride && ipAddress != 0 && !v6) {
      call.peer(false, 0, ipAddress & 0xFFFFFFFFL, port);
    } else {
      call.peer(v6, high, low, port);
    }
    int numWant =
        Math.min(
            limits.resolveNumWant(UdpCodec.announceNumWant(packet), v6),
            v6 ? MAX_IPV6_PEERS : MAX_IPV4_PEERS);
    UdpCodec.readInfoHash(packet, call);
    // A private tracker's passkey comes in the BEP 41 URL data: /{passkey}/announce.
    call.passkey(PasskeyPath.passkey(UdpCodec.announceUrlData(packet)));
    call.wants(
        AnnounceEvent.fromCode(UdpCodec.announceEvent(packet)),
        UdpCodec.announceLeft(packet),
        numWant);
    int transactionId = UdpCodec.transactionId(packet);
    if (!store.answersInline(call)) {
      store
          .announce(call.request())
          .onComplete(
              result -> {
                if (result.succeeded()) {
                  AnnounceResult r = result.result();
                  ByteBuf buf = out.allocate(UdpResponseCodec.announceSize(r));
                  UdpResponseCodec.writeAnnounce(
                      buf, transactionId, intervalPolicy.intervalSeconds(), r);
                  out.send(buf, sender);
                  metrics.served(Action.ANNOUNCE, start);
                } else {
                  announceFailed(out, sender, transactionId, result.cause());
                }
              });
      return;
    }
    try {
      store.announceInto(call);
    } catch (RuntimeException e) {
      announceFailed(out, sender, transactionId, e);
      return;
    }
    ByteBuf buf = out.allocate(UdpResponseCodec.ANNOUNCE_HEADER_SIZE + call.peerBytes());
    UdpResponseCodec.writeAnnounce(buf, transactionId, intervalPolicy.intervalSeconds(), call);
    out.send(buf, sender);
    metrics.served(Action.ANNOUNCE, start);
  }

  private void announceFailed(Responder out, InetSocketAddress to, int transactionId, Throwable e) {
    if (e instanceof AnnounceRefusedException refused) {
      metrics.rejected(
          refused.limit().access() ? DropReason.REFUSED_ACCESS : DropReason.REFUSED_BY_LIMIT);
      metrics.outcome(Action.ANNOUNCE, Outcome.ERROR);
      sendError(out, to, transactionId, refused.getMessage());
    } else {
      storeFailed(Action.ANNOUNCE, out, to, transactionId, e);
    }
  }

  private void scrape(UdpRequest.Scrape s, InetSocketAddress sender, Responder out, long start) {
    int transactionId = s.transactionId();
    store
        .scrape(s.infoHashes(), null) // BEP 41 has no options on a scrape: no passkey
        .onComplete(
            result -> {
              if (result.succeeded()) {
                List<ScrapeStats> stats = result.result();
                ByteBuf buf = out.allocate(UdpResponseCodec.scrapeSize(stats.size()));
                UdpResponseCodec.writeScrape(buf, transactionId, stats);
                out.send(buf, sender);
                metrics.served(Action.SCRAPE, start);
              } else if (result.cause() instanceof AnnounceRefusedException refused) {
                metrics.rejected(DropReason.REFUSED_ACCESS);
                metrics.outcome(Action.SCRAPE, Outcome.ERROR);
                sendError(out, sender, transactionId, refused.getMessage());
              } else {
                storeFailed(Action.SCRAPE, out, sender, transactionId, result.cause());
              }
            });
  }

  private void storeFailed(
      Action action, Responder out, InetSocketAddress to, int transactionId, Throwable e) {
    if (e instanceof StoreBusyException) {
      metrics.rejected(DropReason.STORE_BUSY); // shed: an answer would only add load
      metrics.outcome(action, Outcome.DROPPED);
      return;
    }
    metrics.rejected(DropReason.STORE_FAILURE);
    metrics.outcome(action, Outcome.ERROR);
    long now = System.nanoTime();
    long last = lastStoreWarning.get();
    // A store outage fails every request: say so every 10 s, not per datagram (they are counted).
    if (now - last > 10_000_000_000L && lastStoreWarning.compareAndSet(last, now)) {
      LOG.warn("swarm store failed: {}", e.toString());
    }
    sendError(out, to, transactionId, "tracker temporarily unavailable");
  }

  private void sendError(Responder out, InetSocketAddress to, int transactionId, String message) {
    metrics.errorSent();
    ByteBuf buf = out.allocate(UdpResponseCodec.errorSize(message));
    UdpResponseCodec.writeError(buf, transactionId, message);
    out.send(buf, to);
  }
}
