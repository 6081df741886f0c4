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
import java.net.InetSocketAddress;

/**
 * A trivial BEP 15 responder with no tracker logic (a fixed connection id, empty peer lists, zero
 * counts): the ceiling against which the load generator proves it is not the bottleneck.
 */
final class Responder {
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
                if (in.readableBytes() < 16) {
                  return;
                }
                int action = in.getInt(in.readerIndex() + 8);
                int tx = in.getInt(in.readerIndex() + 12);
                ByteBuf out = ctx.alloc().directBuffer(64);
                if (action == 0) {
                  out.writeInt(0).writeInt(tx).writeLong(0x1234);
                } else if (action == 1) {
                  out.writeInt(1).writeInt(tx).writeInt(1800).writeInt(0).writeInt(1);
                } else {
                  int n = (in.readableBytes() - 16) / 20;
                  out.writeInt(2).writeInt(tx).writeZero(12 * n);
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
