package io.swarmkeeper.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.swarmkeeper.swarm.AnnounceResult;
import io.swarmkeeper.swarm.InfoHash;
import io.swarmkeeper.swarm.ScrapeStats;
import io.swarmkeeper.udp.UdpCodec;
import io.swarmkeeper.udp.UdpResponseCodec;
import java.net.InetSocketAddress;
import java.util.Collections;

/**
 * A trivial BEP 15 responder with no tracker logic (a fixed connection id, empty peer lists, zero
 * counts): the ceiling against which the load generator proves it is not the bottleneck.
 */
final class Responder {
  private static final AnnounceResult ONE_SEEDER_NO_PEERS =
      new AnnounceResult(1, 0, false, new byte[0]);

  private Responder() {}

  static Channel start(EventLoopGroup group, InetSocketAddress bind) throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(EpollDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, 4 << 20)
        .option(ChannelOption.SO_SNDBUF, 4 << 20)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048))
        .handler(
            new SimpleChannelInboundHandler<DatagramPacket>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                ByteBuf in = p.content();
                if (in.readableBytes() < UdpCodec.HEADER_SIZE) {
                  return;
                }
                int action = UdpCodec.action(in);
                int tx = UdpCodec.transactionId(in);
                ByteBuf out = ctx.alloc().directBuffer(64);
                if (action == UdpCodec.ACTION_CONNECT) {
                  UdpResponseCodec.writeConnect(out, tx, 0x1234);
                } else if (action == UdpCodec.ACTION_ANNOUNCE) {
                  UdpResponseCodec.writeAnnounce(out, tx, 1800, ONE_SEEDER_NO_PEERS);
                } else {
                  int n = (in.readableBytes() - UdpCodec.HEADER_SIZE) / InfoHash.BYTES;
                  UdpResponseCodec.writeScrape(out, tx, Collections.nCopies(n, ScrapeStats.EMPTY));
                }
                ctx.write(new DatagramPacket(out, p.sender()), ctx.voidPromise());
              }

              @Override
              public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush();
              }
            })
        .bind(bind)
        .sync()
        .channel();
  }

  static void runForever(InetSocketAddress bind) throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    Channel ch = start(group, bind);
    System.out.println("responder listening on " + ch.localAddress());
    ch.closeFuture().sync();
  }
}
