package dev.odinreactive.bench.media;

import dev.odinreactive.protocol.media.internal.MediaWire;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.collection.IntObjectHashMap;
import java.net.InetSocketAddress;

/**
 * Calibration baseline for the capacity harness: the same Netty epoll socket setup as the real
 * relay (recvmmsg, sendmmsg, same buffers) but no authentication, crypto, replay window, limits
 * or metrics — it registers HELLO senders, answers them, and forwards each media datagram's
 * bytes unchanged to the listeners of its session. Measured side by side with the real relay,
 * it shows what the full path costs on the same (shared, noisy) machine.
 */
final class PlainUdpRelay extends ChannelInboundHandlerAdapter {

    private final IntObjectHashMap<InetSocketAddress> addresses = new IntObjectHashMap<>();
    private final IntObjectHashMap<int[]> routes;
    volatile long in;
    volatile long forwarded;

    PlainUdpRelay(IntObjectHashMap<int[]> routes) {
        this.routes = routes;
    }

    Channel bind(InetSocketAddress address) throws InterruptedException {
        return new Bootstrap().group(new MultiThreadIoEventLoopGroup(1,
                        new io.netty.util.concurrent.DefaultThreadFactory("odin-relay", true), EpollIoHandler.newFactory()))
                .channelFactory(() -> new EpollDatagramChannel(SocketProtocolFamily.INET)) // as MediaRelay on an IPv4 address
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .option(ChannelOption.MAX_MESSAGES_PER_READ, 64)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 1500)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(1500 * 32))
                .handler(this).bind(address).sync().channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket p = (DatagramPacket) msg;
        try {
            ByteBuf b = p.content();
            in++;
            int type = b.getByte(b.readerIndex() + 1);
            int keyId = b.getInt(b.readerIndex() + 4);
            if (type == MediaWire.TYPE_HELLO) {
                addresses.put(keyId, p.sender());
                ByteBuf ack = ctx.alloc().directBuffer(MediaWire.CONTROL_DATAGRAM).writeZero(MediaWire.CONTROL_DATAGRAM);
                ack.setByte(0, 1).setByte(1, MediaWire.TYPE_HELLO_ACK);
                ctx.write(new DatagramPacket(ack, p.sender()), ctx.voidPromise());
            } else if (type == MediaWire.TYPE_MEDIA) {
                int[] to = routes.get(keyId);
                if (to != null) {
                    for (int id : to) {
                        InetSocketAddress a = addresses.get(id);
                        if (a != null && ctx.channel().isWritable()) {
                            ctx.write(new DatagramPacket(b.retainedDuplicate(), a), ctx.voidPromise());
                            forwarded++;
                        }
                    }
                }
            }
        } finally {
            p.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
