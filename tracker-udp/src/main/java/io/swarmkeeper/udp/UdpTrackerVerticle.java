package io.swarmkeeper.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.NetUtil;
import io.swarmkeeper.udp.UdpTrackerOptions.UdpTransport;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BEP 15 listener of one event loop. Deploy one instance per event loop on the same port: on
 * Linux each owns a Netty {@link EpollDatagramChannel} registered on its own Vert.x event loop and
 * bound with SO_REUSEPORT, so the kernel spreads datagrams over the loops; elsewhere (or when
 * asked) it uses Vert.x's {@link DatagramSocket}. Both feed the same {@link UdpTrackerHandler}.
 *
 * <p>A listener that dies while serving (its channel closed by anything but {@link #stop}, or an
 * {@link Error} reaching it) is reported to the {@code failed} handler, so the node can stop rather
 * than look alive while deaf.
 */
public final class UdpTrackerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(UdpTrackerVerticle.class);

  /** Largest datagram read; a full scrape (74 hashes) is 1,496 bytes. */
  static final int MAX_DATAGRAM_BYTES = 2048;

  /** Datagrams one recvmmsg call may read. */
  static final int RECVMMSG_DATAGRAMS = 16;

  private final UdpTrackerOptions options;
  private final UdpTrackerHandler handler;
  private final Handler<Throwable> failed;
  private final boolean firstOfGroup;
  private volatile boolean stopping;
  private volatile int boundPort = -1;
  private volatile UdpTransport transportInUse;
  private volatile String bufferWarning;
  private Channel channel;
  private DatagramSocket socket;

  public UdpTrackerVerticle(UdpTrackerOptions options, UdpTrackerHandler handler) {
    this(options, handler, e -> LOG.error("UDP listener failed: {}", e.toString()), true);
  }

  /**
   * @param failed told when the listener dies while serving
   * @param firstOfGroup whether this instance opens the port (and checks that no one else holds it)
   *     rather than joining the SO_REUSEPORT group of an earlier instance
   */
  public UdpTrackerVerticle(
      UdpTrackerOptions options,
      UdpTrackerHandler handler,
      Handler<Throwable> failed,
      boolean firstOfGroup) {
    this.options = new UdpTrackerOptions(options);
    this.handler = handler;
    this.failed = failed;
    this.firstOfGroup = firstOfGroup;
  }

  /** Another instance that joins this one's port, reporting to the same handler. */
  UdpTrackerVerticle joining(UdpTrackerOptions sameOptions) {
    return new UdpTrackerVerticle(sameOptions, handler, failed, false);
  }

  /** Whether this machine and this Vert.x instance can run the epoll path. */
  public static boolean epollUsable(io.vertx.core.Vertx vertx) {
    return Epoll.isAvailable() && vertx.isNativeTransportEnabled();
  }

  /** The port bound, once started. */
  public int boundPort() {
    return boundPort;
  }

  public UdpTransport transportInUse() {
    return transportInUse;
  }

  /**
   * How many datagrams one read may take: {@value #RECVMMSG_DATAGRAMS} on the epoll path (one
   * recvmmsg call), 1 on the Vert.x path; 0 before the listener is bound.
   */
  public int datagramsPerRead() {
    if (transportInUse == UdpTransport.VERTX) {
      return 1;
    }
    if (channel == null) {
      return 0;
    }
    int payload = channel.config().getOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE);
    int buffer = channel.config().getRecvByteBufAllocator().newHandle().guess();
    return payload > 0 ? buffer / payload : 1;
  }

  /** The epoll path's channel once bound, else null: tests watch what crosses its pipeline. */
  Channel channel() {
    return channel;
  }

  @Override
  public Future<?> start() {
    UdpTransport wanted = options.getTransport();
    if (wanted == UdpTransport.EPOLL && !epollUsable(vertx)) {
      return Future.failedFuture(
          new IllegalStateException(
              "udp.transport=epoll but native epoll is not usable here: "
                  + (Epoll.isAvailable()
                      ? "Vert.x runs without its native transport"
                      : Epoll.unavailabilityCause())));
    }
    boolean epoll =
        wanted == UdpTransport.EPOLL || (wanted == UdpTransport.AUTO && epollUsable(vertx));
    return epoll ? startEpoll() : startVertx();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (channel != null) {
      Promise<Void> closed = Promise.promise();
      channel.close().addListener(f -> closed.complete());
      return closed.future();
    }
    if (socket != null) {
      return socket.close();
    }
    return Future.succeededFuture();
  }

  private boolean ipv4Host() {
    return NetUtil.isValidIpV4Address(options.getHost());
  }

  /**
   * Fails with "Address already in use" when any socket holds the port. SO_REUSEPORT would let the
   * group's bind join another process's group on that port silently (the kernel would then split
   * the swarms between two stores); a socket bound without it is refused by any holder, including
   * such a group. Our own group, bound right after, is then the port's only holder. Two processes
   * starting within the same few microseconds could both pass; nothing short of a lock outside the
   * socket closes that window.
   */
  private void checkPortFree() throws IOException {
    try (DatagramChannel probe =
        DatagramChannel.open(
            ipv4Host() ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)) {
      probe.bind(new InetSocketAddress(options.getHost(), options.getPort()));
    }
  }

  private Future<?> startEpoll() {
    ContextInternal ctx = (ContextInternal) context;
    if (firstOfGroup && options.getPort() != 0) {
      try {
        checkPortFree();
      } catch (IOException | RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    EventLoop loop = ctx.nettyEventLoop();
    SocketProtocolFamily family =
        ipv4Host() ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channelFactory(() -> new EpollDatagramChannel(family))
            .option(EpollChannelOption.SO_REUSEPORT, true)
            // The pooled allocator, not Netty 4.2's adaptive default: its buffers are written from
            // a byte[] without an NIO view made per write, and recvmmsg's per-datagram slices of
            // them are recycled (JFR under load: the two were 42 % of the bytes allocated).
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.SO_RCVBUF, options.getReceiveBufferBytes())
            .option(ChannelOption.SO_SNDBUF, options.getSendBufferBytes())
            // A receive buffer of several datagram sizes makes Netty read with recvmmsg.
            .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM_BYTES)
            .option(
                ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES * RECVMMSG_DATAGRAMS))
            .handler(new EpollInbound());
    Promise<Void> bound = ctx.promise();
    bootstrap
        .bind(options.getHost(), options.getPort())
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                bound.fail(f.cause());
                return;
              }
              channel = f.channel();
              channel.closeFuture().addListener(c -> closed());
              boundPort = ((InetSocketAddress) channel.localAddress()).getPort();
              transportInUse = UdpTransport.EPOLL;
              checkBuffers(
                  channel.config().getOption(ChannelOption.SO_RCVBUF),
                  channel.config().getOption(ChannelOption.SO_SNDBUF));
              bound.complete();
            });
    return bound.future();
  }

  private void closed() {
    if (!stopping) {
      failed.handle(
          new IllegalStateException(
              "UDP channel on port " + boundPort + " closed while serving; no one receives"));
    }
  }

  /**
   * An error on either I/O path: an {@link Error} (out of memory, say) means this loop cannot be
   * trusted to serve and is reported; anything else is logged and the listener goes on.
   */
  private void listenerError(Throwable cause) {
    if (cause instanceof Error) {
      failed.handle(cause);
    } else {
      LOG.warn("UDP listener error: {}", cause.toString());
    }
  }

  private void checkBuffers(int receive, int send) {
    // Linux reports twice what it grants; a smaller figure means net.core.*mem_max capped it.
    StringBuilder warning = new StringBuilder();
    if (receive < options.getReceiveBufferBytes()) {
      warning.append(
          String.format(
              "UDP receive buffer: asked %d bytes, the kernel granted %d; requests beyond what it"
                  + " holds are dropped under load. Raise net.core.rmem_max (sysctl -w"
                  + " net.core.rmem_max=%d).",
              options.getReceiveBufferBytes(), receive, options.getReceiveBufferBytes()));
    }
    if (send < options.getSendBufferBytes()) {
      warning.append(
          String.format(
              "%sUDP send buffer: asked %d bytes, the kernel granted %d. Raise net.core.wmem_max.",
              warning.length() > 0 ? " " : "", options.getSendBufferBytes(), send));
    }
    if (warning.length() > 0) {
      bufferWarning = warning.toString();
      LOG.warn(bufferWarning);
    }
  }

  /**
   * What was said about socket buffers the kernel capped, or null when it granted what we asked.
   */
  public String bufferWarning() {
    return bufferWarning;
  }

  private Future<?> startVertx() {
    // Vert.x's setReceiveBufferSize also installs a receive allocator of that size per datagram
    // (50 x slower, see MEASURED.md), so this path keeps the kernel's default buffers.
    DatagramSocketOptions socketOptions =
        new DatagramSocketOptions()
            .setIpV6(!ipv4Host())
            // One socket serves the port on this path; SO_REUSEPORT would only let another
            // process join it.
            .setReusePort(false);
    socket = vertx.createDatagramSocket(socketOptions);
    socket.exceptionHandler(this::listenerError);
    VertxResponder responder = new VertxResponder(socket);
    socket.handler(
        packet -> {
          InetSocketAddress sender;
          try {
            sender =
                new InetSocketAddress(
                    InetAddress.getByName(packet.sender().host()), packet.sender().port());
          } catch (UnknownHostException e) {
            return; // a literal address always parses; nothing to answer otherwise
          }
          handler.handle(((BufferInternal) packet.data()).getByteBuf(), sender, responder);
        });
    return socket
        .listen(options.getPort(), options.getHost())
        .onSuccess(
            s -> {
              boundPort = s.localAddress().port();
              transportInUse = UdpTransport.VERTX;
            });
  }

  /**
   * Answers are written without a flush and flushed together: those written during a read batch at
   * its end, later ones (a store that answers asynchronously, many at once) by one flush queued
   * behind the event-loop task that wrote them. Either way one flush sends what was written since
   * the last (one sendmmsg, not one syscall an answer). A batch runs inside the verticle's Vert.x
   * context (entered once per batch, not per datagram), so the store sees {@code
   * Vertx.currentContext()} as on any Vert.x path.
   */
  private final class EpollInbound extends SimpleChannelInboundHandler<DatagramPacket>
      implements UdpTrackerHandler.Responder {
    private final ContextInternal vertxContext = (ContextInternal) context;
    private final Runnable flushTask = this::flushLateAnswers;
    private ChannelHandlerContext ctx;
    private boolean inReadBatch;
    private boolean flushQueued;
    private ContextInternal previousContext;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      if (!inReadBatch) {
        previousContext = vertxContext.beginDispatch();
        inReadBatch = true;
      }
      handler.handle(packet.content(), packet.sender(), this);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (inReadBatch) {
        inReadBatch = false;
        vertxContext.endDispatch(previousContext);
        previousContext = null;
      }
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      listenerError(cause);
    }

    @Override
    public ByteBuf allocate(int bytes) {
      return ctx.alloc().directBuffer(bytes);
    }

    @Override
    public void send(ByteBuf response, InetSocketAddress recipient) {
      DatagramPacket out = new DatagramPacket(response, recipient);
      if (ctx.executor().inEventLoop()) {
        writeOnLoop(out);
        return;
      }
      // A store completing on its own thread: each answer crosses to the loop as one task, and the
      // answers that cross before the loop gets to them share its next flush.
      try {
        ctx.executor().execute(() -> writeOnLoop(out));
      } catch (RejectedExecutionException e) {
        out.release(); // the loop is shutting down: no one sends any more
      }
    }

    private void writeOnLoop(DatagramPacket out) {
      ctx.write(out, ctx.voidPromise());
      if (!inReadBatch && !flushQueued) {
        flushQueued = true;
        ctx.executor().execute(flushTask);
      }
    }

    private void flushLateAnswers() {
      flushQueued = false;
      ctx.flush();
    }
  }

  private static final class VertxResponder implements UdpTrackerHandler.Responder {
    private final DatagramSocket socket;

    VertxResponder(DatagramSocket socket) {
      this.socket = socket;
    }

    @Override
    public ByteBuf allocate(int bytes) {
      return Unpooled.buffer(bytes);
    }

    @Override
    public void send(ByteBuf response, InetSocketAddress recipient) {
      socket.send(
          BufferInternal.buffer(response),
          recipient.getPort(),
          recipient.getAddress().getHostAddress());
    }
  }
}
