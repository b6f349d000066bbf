package dev.odinreactive.server.relay;

import dev.odinreactive.protocol.media.MediaDropReason;
import dev.odinreactive.protocol.media.internal.DropCounters;
import dev.odinreactive.protocol.media.internal.InboundDatagrams;
import dev.odinreactive.protocol.media.internal.MediaWire;
import dev.odinreactive.protocol.media.internal.TokenBucket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.collection.IntObjectHashMap;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The relay's hot path, confined to one event loop: precheck → session lookup → replay check →
 * AEAD open (once) → limits → routing → one seal per distinct downlink key (the first one into
 * the received datagram's own buffer) → a retained duplicate of the sealed buffer to every
 * receiver (flushed once per read batch, which lets native epoll use sendmmsg).
 * Never throws on bad input; every drop is counted.
 */
final class RelayEngine extends ChannelInboundHandlerAdapter {

    private static final int MAX_KEYS_PER_PACKET = 8;

    private final RelayRouting routing;
    private final RelayLimits limits;
    private final LongSupplier clock;
    final IntObjectHashMap<RelaySession> sessions = new IntObjectHashMap<>();
    final DropCounters drops = new DropCounters();

    // scratch buffers (event loop only)
    private final byte[] rx = new byte[MediaWire.MAX_DATAGRAM];
    private final byte[] plain = new byte[MediaWire.MAX_DATAGRAM];
    private final byte[] tx = new byte[MediaWire.MAX_DATAGRAM];
    private final Downlink[] sealedKeys = new Downlink[MAX_KEYS_PER_PACKET];
    private final ByteBuf[] sealedBufs = new ByteBuf[MAX_KEYS_PER_PACKET];

    private ChannelHandlerContext ctx;

    long datagramsIn;
    long bytesIn;
    long datagramsOut;
    long bytesOut;
    long forwarded;
    long opens;
    long seals;

    private final java.util.function.IntFunction<RelaySession> registry;

    RelayEngine(RelayRouting routing, RelayLimits limits, LongSupplier clock,
                java.util.function.IntFunction<RelaySession> registry) {
        this.registry = registry;
        this.routing = routing;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        try {
            ByteBuf buf = packet.content();
            int len = buf.readableBytes();
            datagramsIn++;
            bytesIn += len;
            if (len > MediaWire.MAX_DATAGRAM) {
                drops.increment(MediaDropReason.OVERSIZED);
                return;
            }
            buf.getBytes(buf.readerIndex(), rx, 0, len);
            handle(len, packet.sender(), null, buf);
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // UDP socket errors (e.g. ICMP port unreachable surfaced as PortUnreachableException) are
        // not fatal for a relay: keep serving.
    }

    /** A datagram tunnelled by {@code via}; called on the event loop; releases the buffer. */
    void handleTunneled(RelaySession via, ByteBuf buf) {
        try {
            int len = buf.readableBytes();
            datagramsIn++;
            bytesIn += len;
            if (len > MediaWire.MAX_DATAGRAM) {
                drops.increment(MediaDropReason.OVERSIZED);
                via.drop(MediaDropReason.OVERSIZED);
                return;
            }
            buf.getBytes(buf.readerIndex(), rx, 0, len);
            handle(len, null, via, null); // a tunnel frame's buffer may be read-only: seal into a new one
        } finally {
            buf.release();
        }
        ctx.flush();
    }

    /**
     * @param reusable the received datagram's own (direct, writable) buffer, which the first
     *                 re-seal overwrites in place and forwards (same length: same header, body
     *                 and tag sizes), or {@code null} to seal into a new buffer
     */
    private void handle(int len, InetSocketAddress sender, RelaySession tunnelOwner, ByteBuf reusable) {
        MediaDropReason pre = MediaWire.precheck(rx, len);
        if (pre != null) {
            drop(tunnelOwner, pre);
            return;
        }
        int type = MediaWire.type(rx);
        if (!MediaWire.expectedOnServer(type)) {
            drop(tunnelOwner, MediaDropReason.UNEXPECTED_TYPE);
            return;
        }
        int keyId = MediaWire.keyId(rx);
        RelaySession session = sessions.get(keyId);
        if (session == null) { // opened moments ago, or unknown: ask the thread-safe registry
            session = registry.apply(keyId);
            if (session != null && !session.closed) {
                sessions.put(keyId, session);
            }
        }
        if (session == null || session.closed || (tunnelOwner != null && tunnelOwner != session)) {
            drop(tunnelOwner, MediaDropReason.UNKNOWN_KEY);
            return;
        }
        opens++;
        int n = InboundDatagrams.open(rx, len, session.opener, session.window, plain, MediaWire.MEDIA_HEADER);
        if (n < 0) {
            MediaDropReason reason = InboundDatagrams.reason(n);
            drops.increment(reason);
            session.drop(reason);
            return;
        }
        session.datagramsIn++;
        session.bytesIn += len;
        boolean probe = (MediaWire.flags(rx) & MediaWire.FLAG_PROBE) != 0;
        if (sender != null && !sender.equals(session.udpAddress)) {
            session.udpAddress = sender; // roaming: the latest authenticated datagram wins
        }
        if (!probe) {
            session.viaTunnel = tunnelOwner != null;
        }
        if (type == MediaWire.TYPE_MEDIA) {
            forward(session, n, reusable);
        } else {
            reply(session, type == MediaWire.TYPE_HELLO ? MediaWire.TYPE_HELLO_ACK : MediaWire.TYPE_PONG,
                    probe, sender, tunnelOwner);
        }
    }

    private void reply(RelaySession session, int type, boolean probe, InetSocketAddress sender, RelaySession tunnelOwner) {
        Downlink dl = session.downlink;
        MediaWire.writeCommonHeader(plain, type, probe ? MediaWire.FLAG_PROBE : 0, dl.keyId, dl.sealer.nextPacketNumber());
        // the echo value was opened to plain[MEDIA_HEADER..+8): move it behind the 16-byte header
        System.arraycopy(plain, MediaWire.MEDIA_HEADER, plain, MediaWire.COMMON_HEADER, MediaWire.CONTROL_BODY);
        int len = dl.sealer.seal(plain, MediaWire.COMMON_HEADER, MediaWire.CONTROL_BODY, tx);
        seals++;
        ByteBuf out = ctx.alloc().directBuffer(len).writeBytes(tx, 0, len);
        if (tunnelOwner != null) {
            sendTunnel(session, out, len);
        } else {
            sendUdp(session, out, len, sender);
        }
    }

    private void forward(RelaySession sender, int bodyLen, ByteBuf reusable) {
        long now = clock.getAsLong();
        int mediaId = MediaWire.mediaId(rx);
        TokenBucket bucket = bucket(sender, mediaId, now);
        if (bucket == null) {
            drop(sender, MediaDropReason.MEDIA_LIMIT);
            return;
        }
        if (!bucket.tryTake(now)) {
            drop(sender, MediaDropReason.RATE_LIMITED);
            return;
        }
        List<RelaySession> receivers = routing.receivers(sender, mediaId);
        int count = receivers == null ? 0 : receivers.size();
        if (count == 0) {
            drop(sender, MediaDropReason.NO_ROUTE);
            return;
        }
        boolean endOfTalk = (MediaWire.flags(rx) & MediaWire.FLAG_END_OF_TALK) != 0;
        long stream = StreamSlots.streamKey(sender.id, mediaId);
        // plaintext already sits behind a copy of the media header: plain = header + body
        System.arraycopy(rx, 0, plain, 0, MediaWire.MEDIA_HEADER);
        int sealedCount = 0;
        try {
            for (int i = 0; i < count; i++) {
                RelaySession r = receivers.get(i);
                if (r == sender || r.closed) {
                    continue;
                }
                if (!r.slots.admit(stream, now, endOfTalk)) {
                    drop(r, MediaDropReason.STREAM_LIMIT);
                    continue;
                }
                boolean tunnel = r.viaTunnel;
                InetSocketAddress address = r.udpAddress;
                if (tunnel ? r.tunnel == null : address == null) {
                    drop(r, MediaDropReason.NOT_REGISTERED);
                    continue;
                }
                Downlink dl = r.downlink;
                ByteBuf sealed = null;
                for (int k = 0; k < sealedCount; k++) {
                    if (sealedKeys[k] == dl) {
                        sealed = sealedBufs[k];
                        break;
                    }
                }
                if (sealed == null) {
                    MediaWire.rewriteKey(plain, dl.keyId, dl.sealer.nextPacketNumber());
                    int len = dl.sealer.seal(plain, MediaWire.MEDIA_HEADER, bodyLen, tx);
                    seals++;
                    if (reusable != null) { // first seal: overwrite the received datagram in place
                        reusable.setBytes(reusable.readerIndex(), tx, 0, len);
                        sealed = reusable.retain();
                        reusable = null;
                    } else {
                        sealed = ctx.alloc().directBuffer(len).writeBytes(tx, 0, len);
                    }
                    if (sealedCount < MAX_KEYS_PER_PACKET) {
                        sealedKeys[sealedCount] = dl;
                        sealedBufs[sealedCount++] = sealed;
                    } else { // many distinct keys (per-receiver keys): send and forget
                        send(r, sealed, len, tunnel, address);
                        continue;
                    }
                }
                int len = sealed.readableBytes();
                // UDP: a duplicate, written out at this read batch's flush. A tunnel may queue the
                // frame behind its WebSocket, and a duplicate of the received datagram would pin
                // that whole recvmmsg batch buffer meanwhile: give it a copy of its own.
                send(r, tunnel ? ctx.alloc().directBuffer(len).writeBytes(sealed, sealed.readerIndex(), len)
                        : sealed.retainedDuplicate(), len, tunnel, address);
            }
        } finally {
            for (int k = 0; k < sealedCount; k++) {
                sealedBufs[k].release();
                sealedBufs[k] = null;
                sealedKeys[k] = null;
            }
        }
    }

    private void send(RelaySession r, ByteBuf buf, int len, boolean tunnel, InetSocketAddress address) {
        boolean sent = tunnel ? sendTunnel(r, buf, len) : sendUdp(r, buf, len, address);
        if (sent) {
            forwarded++;
        }
    }

    private boolean sendUdp(RelaySession r, ByteBuf buf, int len, InetSocketAddress address) {
        if (!ctx.channel().isWritable()) {
            buf.release();
            drop(r, MediaDropReason.BACKPRESSURE);
            return false;
        }
        ctx.write(new DatagramPacket(buf, address), ctx.voidPromise());
        countOut(r, len);
        return true;
    }

    private boolean sendTunnel(RelaySession r, ByteBuf buf, int len) {
        RelayTunnel t = r.tunnel;
        boolean ok;
        try {
            ok = t != null && t.send(buf);
        } catch (RuntimeException e) {
            ok = false; // the tunnel owns the buffer once send was called
        }
        if (t == null) {
            buf.release();
        }
        if (!ok) {
            drop(r, MediaDropReason.BACKPRESSURE);
            return false;
        }
        countOut(r, len);
        return true;
    }

    private void countOut(RelaySession r, int len) {
        datagramsOut++;
        bytesOut += len;
        r.datagramsOut++;
        r.bytesOut += len;
    }

    private TokenBucket bucket(RelaySession s, int mediaId, long now) {
        for (int i = 0; i < s.mediaCount; i++) {
            if (s.mediaIds[i] == mediaId) {
                return s.buckets[i];
            }
        }
        if (s.mediaCount == s.mediaIds.length) {
            return null;
        }
        TokenBucket b = new TokenBucket(limits.mediaPacketRate(), limits.mediaPacketBurst(), now);
        s.mediaIds[s.mediaCount] = mediaId;
        s.buckets[s.mediaCount++] = b;
        return b;
    }

    private void drop(RelaySession s, MediaDropReason reason) {
        drops.increment(reason);
        if (s != null) {
            s.drop(reason);
        }
    }
}
