package dev.odinreactive.protocol.media;

import dev.odinreactive.protocol.media.internal.DropCounters;
import dev.odinreactive.protocol.media.internal.InboundDatagrams;
import dev.odinreactive.protocol.media.internal.MediaAead;
import dev.odinreactive.protocol.media.internal.MediaWire;
import dev.odinreactive.protocol.media.internal.ReplayWindow;
import dev.odinreactive.protocol.media.internal.SequenceTracker;
import dev.odinreactive.protocol.media.internal.OwnedThreads;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Client end of the media plane: sends and receives {@link MediaPacket}s to and from the relay
 * over UDP, sealed with the connection's {@link MediaKeys}, and falls back automatically.
 *
 * <p><b>Paths.</b> It starts on UDP with a HELLO and pings every {@code pingInterval}. If no
 * authenticated datagram arrives over UDP for {@code udpTimeout}, everything (media and pings)
 * moves to the {@link MediaTunnel} while UDP probes (PING with the PROBE flag) continue every
 * {@code probeInterval}; the first probe answer moves everything back to UDP. The relay follows
 * the client's latest non-probe datagram, so both directions switch together.
 *
 * <p><b>Threads.</b> {@link #send} may be called from any thread (it seals under a lock and
 * never blocks; a full socket or tunnel drops the packet and counts {@code BACKPRESSURE}).
 * {@link #receive()} emits on the transport's event loop; a subscriber that cannot keep up loses
 * packets (counted {@code NOT_DELIVERED}) — live audio is never queued without bound. A
 * subscriber that has no media for a packet reports it with {@link #countUnknownMedia()}, so
 * {@link #stats()} holds that drop too.
 *
 * <p><b>Lifecycle.</b> {@link Builder#connect()} binds the socket and completes once the relay
 * answered on either path; {@link #dispose()} closes the socket, cancels the timers and the
 * tunnel subscription, completes {@link #receive()} and {@link #pathChanges()}.
 */
public final class MediaTransport implements Disposable {

    private final InetSocketAddress relay;
    private final MediaKeys keys;
    private final MediaTunnel tunnel;
    private final long pingNanos;
    private final long udpTimeoutNanos;
    private final long probeNanos;
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final OwnedThreads ownThreads = new OwnedThreads("odin-media");

    private final Object sendLock = new Object();
    private final MediaAead sealer;
    private final byte[] sendSrc = new byte[MediaWire.MAX_DATAGRAM];
    private final byte[] sendOut = new byte[MediaWire.MAX_DATAGRAM];

    // event-loop state
    private final MediaAead opener;
    private final ReplayWindow window = new ReplayWindow();
    private final byte[] rx = new byte[MediaWire.MAX_DATAGRAM];
    private final byte[] plain = new byte[MediaWire.MAX_DATAGRAM];
    private final Map<Integer, SequenceTracker> trackers = new HashMap<>();
    private long lastUdpAnswer;
    private long lastProbe;
    private boolean answered;

    private final DropCounters drops = new DropCounters();
    private final AtomicLong udpTx = new AtomicLong(), udpTxBytes = new AtomicLong();
    private final AtomicLong udpRx = new AtomicLong(), udpRxBytes = new AtomicLong();
    private final AtomicLong tunTx = new AtomicLong(), tunTxBytes = new AtomicLong();
    private final AtomicLong tunRx = new AtomicLong(), tunRxBytes = new AtomicLong();
    private final AtomicLong mediaTx = new AtomicLong(), mediaRx = new AtomicLong();
    private final AtomicLong pings = new AtomicLong(), pongs = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong(), recoveries = new AtomicLong();
    private volatile long srttNanos;

    private final Sinks.Many<MediaPacket> received = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<MediaPath> paths = Sinks.many().replay().latest();
    private final Sinks.One<MediaTransport> connected = Sinks.one();
    private volatile MediaPath path = MediaPath.UDP;
    private volatile Channel channel;
    private volatile boolean disposed;
    private ScheduledFuture<?> ticker;
    private Disposable tunnelSubscription;

    private MediaTransport(Builder b) {
        this.relay = b.relay;
        this.keys = b.keys;
        this.tunnel = b.tunnel;
        this.pingNanos = b.pingInterval.toNanos();
        this.udpTimeoutNanos = b.udpTimeout.toNanos();
        this.probeNanos = b.probeInterval.toNanos();
        this.sealer = MediaAead.sealer(keys.uplink());
        this.opener = MediaAead.opener(keys.downlink());
        if (b.group != null) {
            this.group = b.group;
            this.ownGroup = false;
        } else {
            this.group = new MultiThreadIoEventLoopGroup(1, ownThreads.factory(),
                    NioIoHandler.newFactory());
            this.ownGroup = true;
        }
        paths.tryEmitNext(MediaPath.UDP);
    }

    /**
     * @param relay the relay's UDP address (the server's host and port)
     * @param keys  the keys the server handed out on the control channel
     */
    public static Builder builder(InetSocketAddress relay, MediaKeys keys) {
        return new Builder(relay, keys);
    }

    /**
     * Sends one media packet on the current path. Thread-safe, never blocks.
     *
     * @return {@code false} if it was dropped (socket or tunnel full, or transport disposed)
     * @throws IllegalArgumentException if the payload exceeds {@value MediaWire#MAX_MEDIA_PAYLOAD} bytes
     */
    public boolean send(MediaPacket packet) {
        byte[] payload = packet.payload();
        if (payload.length > MediaWire.MAX_MEDIA_PAYLOAD) {
            throw new IllegalArgumentException("Opus payload of " + payload.length
                    + " bytes exceeds the media datagram limit of " + MediaWire.MAX_MEDIA_PAYLOAD);
        }
        if (disposed || channel == null) {
            return false;
        }
        ByteBuf buf;
        int len;
        MediaPath via = path;
        synchronized (sendLock) {
            MediaWire.writeCommonHeader(sendSrc, MediaWire.TYPE_MEDIA, packet.endOfTalk() ? MediaWire.FLAG_END_OF_TALK : 0,
                    keys.sessionId(), sealer.nextPacketNumber());
            MediaWire.writeMediaFields(sendSrc, packet.mediaId(), packet.sequence(), packet.timestamp());
            System.arraycopy(payload, 0, sendSrc, MediaWire.MEDIA_HEADER, payload.length);
            len = sealer.seal(sendSrc, MediaWire.MEDIA_HEADER, payload.length, sendOut);
            buf = channel.alloc().buffer(len).writeBytes(sendOut, 0, len);
        }
        boolean sent = via == MediaPath.TUNNEL && tunnel != null ? sendTunnel(buf, len) : sendUdp(buf, len);
        if (sent) {
            mediaTx.incrementAndGet();
        }
        return sent;
    }

    /** Received media packets of all remote medias (hot; emits on the transport's event loop). */
    public Flux<MediaPacket> receive() {
        return received.asFlux();
    }

    /** The current path, then every change; completes on dispose. */
    public Flux<MediaPath> pathChanges() {
        return paths.asFlux();
    }

    public MediaPath path() {
        return path;
    }

    /** Smoothed round-trip time to the relay; {@link Duration#ZERO} before the first answer. */
    public Duration rtt() {
        return Duration.ofNanos(srttNanos);
    }

    /** The local UDP address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Counts a packet from {@link #receive()} that its subscriber dropped because it knows no
     * media of that id ({@link MediaDropReason#UNKNOWN_MEDIA} in {@link #stats()}). Any thread.
     */
    public void countUnknownMedia() {
        drops.increment(MediaDropReason.UNKNOWN_MEDIA);
    }

    public MediaTransportStats stats() {
        long lost = 0;
        long reordered = 0;
        synchronized (trackers) {
            for (SequenceTracker t : trackers.values()) {
                lost += t.lost();
                reordered += t.reordered();
            }
        }
        return new MediaTransportStats(path, udpTx.get(), udpTxBytes.get(), udpRx.get(), udpRxBytes.get(),
                tunTx.get(), tunTxBytes.get(), tunRx.get(), tunRxBytes.get(), mediaTx.get(), mediaRx.get(),
                lost, reordered, pings.get(), pongs.get(), rtt(), fallbacks.get(), recoveries.get(), drops.snapshot());
    }

    // ---------------------------------------------------------------- sending

    private boolean sendUdp(ByteBuf buf, int len) {
        Channel c = channel;
        if (c == null || !c.isActive() || !c.isWritable()) {
            buf.release();
            drops.increment(MediaDropReason.BACKPRESSURE);
            return false;
        }
        c.writeAndFlush(new DatagramPacket(buf, relay), c.voidPromise());
        udpTx.incrementAndGet();
        udpTxBytes.addAndGet(len);
        return true;
    }

    private boolean sendTunnel(ByteBuf buf, int len) {
        boolean ok;
        try {
            ok = tunnel.send(buf);
        } catch (RuntimeException e) {
            ok = false;
        }
        if (!ok) {
            drops.increment(MediaDropReason.BACKPRESSURE);
            return false;
        }
        tunTx.incrementAndGet();
        tunTxBytes.addAndGet(len);
        return true;
    }

    private void sendControl(int type, boolean probe, boolean viaTunnel) {
        ByteBuf buf;
        int len;
        synchronized (sendLock) {
            MediaWire.writeCommonHeader(sendSrc, type, probe ? MediaWire.FLAG_PROBE : 0, keys.sessionId(),
                    sealer.nextPacketNumber());
            MediaWire.writeLong(sendSrc, MediaWire.COMMON_HEADER, System.nanoTime());
            len = sealer.seal(sendSrc, MediaWire.COMMON_HEADER, MediaWire.CONTROL_BODY, sendOut);
            buf = channel.alloc().buffer(len).writeBytes(sendOut, 0, len);
        }
        if (viaTunnel ? sendTunnel(buf, len) : sendUdp(buf, len)) {
            pings.incrementAndGet();
        }
    }

    /** Periodic: pings on the current path, fallback on UDP silence, probes while tunnelled. */
    private void tick() {
        if (disposed) {
            return;
        }
        long now = System.nanoTime();
        int type = answered ? MediaWire.TYPE_PING : MediaWire.TYPE_HELLO;
        if (path == MediaPath.UDP) {
            if (tunnel != null && now - lastUdpAnswer > udpTimeoutNanos) {
                switchPath(MediaPath.TUNNEL);
                fallbacks.incrementAndGet();
                sendControl(MediaWire.TYPE_HELLO, false, true);
                lastProbe = now;
                return;
            }
            sendControl(type, false, false);
        } else {
            sendControl(type, false, true);
            if (now - lastProbe >= probeNanos) {
                lastProbe = now;
                sendControl(MediaWire.TYPE_PING, true, false);
            }
        }
    }

    private void switchPath(MediaPath to) {
        path = to;
        paths.tryEmitNext(to);
    }

    // ---------------------------------------------------------------- receiving (event loop)

    private void onUdp(DatagramPacket packet) {
        ByteBuf buf = packet.content();
        int len = buf.readableBytes();
        udpRx.incrementAndGet();
        udpRxBytes.addAndGet(len);
        if (!relay.equals(packet.sender())) {
            drops.increment(MediaDropReason.FOREIGN_SOURCE);
            return;
        }
        process(buf, len, true);
    }

    private void onTunnel(ByteBuf buf) {
        try {
            int len = buf.readableBytes();
            tunRx.incrementAndGet();
            tunRxBytes.addAndGet(len);
            if (!disposed) {
                process(buf, len, false);
            }
        } finally {
            buf.release();
        }
    }

    private void process(ByteBuf buf, int len, boolean viaUdp) {
        if (len > MediaWire.MAX_DATAGRAM) {
            drops.increment(MediaDropReason.OVERSIZED);
            return;
        }
        buf.getBytes(buf.readerIndex(), rx, 0, len);
        MediaDropReason pre = MediaWire.precheck(rx, len);
        if (pre == null && !MediaWire.expectedOnClient(MediaWire.type(rx))) {
            pre = MediaDropReason.UNEXPECTED_TYPE;
        }
        if (pre == null && MediaWire.keyId(rx) != opener.keyId()) {
            pre = MediaDropReason.UNKNOWN_KEY;
        }
        if (pre != null) {
            drops.increment(pre);
            return;
        }
        int n = InboundDatagrams.open(rx, len, opener, window, plain, 0);
        if (n < 0) {
            drops.increment(InboundDatagrams.reason(n));
            return;
        }
        long now = System.nanoTime();
        if (viaUdp) {
            lastUdpAnswer = now;
            if (path == MediaPath.TUNNEL) {
                switchPath(MediaPath.UDP);
                recoveries.incrementAndGet();
                sendControl(MediaWire.TYPE_PING, false, false); // tells the relay to switch too
            }
        }
        if (!answered) {
            answered = true;
            connected.tryEmitValue(this);
        }
        int type = MediaWire.type(rx);
        if (type == MediaWire.TYPE_MEDIA) {
            int mediaId = MediaWire.mediaId(rx);
            int seq = MediaWire.sequence(rx);
            synchronized (trackers) {
                trackers.computeIfAbsent(mediaId, id -> new SequenceTracker()).record(seq);
            }
            mediaRx.incrementAndGet();
            MediaPacket p = new MediaPacket(mediaId, seq, MediaWire.timestamp(rx),
                    (MediaWire.flags(rx) & MediaWire.FLAG_END_OF_TALK) != 0, Arrays.copyOf(plain, n));
            if (received.tryEmitNext(p).isFailure()) {
                drops.increment(MediaDropReason.NOT_DELIVERED);
            }
        } else {
            pongs.incrementAndGet();
            long sample = now - MediaWire.readLong(plain, 0);
            if (sample >= 0) {
                long srtt = srttNanos;
                srttNanos = srtt == 0 ? sample : srtt + (sample - srtt) / 8;
            }
        }
    }

    // ---------------------------------------------------------------- lifecycle

    private Mono<MediaTransport> start(InetSocketAddress bindAddress, Duration connectTimeout) {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MediaWire.MAX_DATAGRAM + 1))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        onUdp(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // ICMP errors and the like: UDP silence is handled by the fallback timer
                    }
                });
        Mono<MediaTransport> bound = Mono.create(sink -> bootstrap.bind(bindAddress).addListener(f -> {
            if (!f.isSuccess()) {
                sink.error(f.cause());
                return;
            }
            Channel c = ((io.netty.channel.ChannelFuture) f).channel();
            channel = c;
            EventLoop loop = c.eventLoop();
            loop.execute(() -> {
                lastUdpAnswer = System.nanoTime();
                if (tunnel != null) {
                    tunnelSubscription = tunnel.inbound().subscribe(
                            buf -> {
                                if (loop.inEventLoop()) {
                                    onTunnel(buf);
                                } else {
                                    loop.execute(() -> onTunnel(buf));
                                }
                            },
                            error -> { }, () -> { });
                }
                ticker = loop.scheduleAtFixedRate(this::tick, 0, pingNanos, TimeUnit.NANOSECONDS);
                sink.success(this);
            });
        }));
        return bound.then(connected.asMono())
                .timeout(connectTimeout, Mono.error(() -> new MediaTransportException(
                        "relay " + relay + " did not answer over UDP" + (tunnel != null ? " or the tunnel" : "")
                                + " within " + connectTimeout)))
                .doOnError(e -> dispose())
                .doOnCancel(this::dispose);
    }

    /** Closes the socket, stops timers and the tunnel subscription, completes the fluxes. Idempotent. */
    @Override
    public void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        Channel c = channel;
        if (c != null) {
            c.eventLoop().execute(() -> {
                if (ticker != null) {
                    ticker.cancel(false);
                }
                if (tunnelSubscription != null) {
                    tunnelSubscription.dispose();
                }
            });
            c.close();
        }
        received.tryEmitComplete();
        paths.tryEmitComplete();
        if (ownGroup) {
            io.netty.util.concurrent.Future<?> f = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (c == null || !c.eventLoop().inEventLoop()) {
                f.syncUninterruptibly();
                ownThreads.join(2000);
            }
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    /** Options for a {@link MediaTransport}. */
    public static final class Builder {
        private final InetSocketAddress relay;
        private final MediaKeys keys;
        private MediaTunnel tunnel;
        private Duration pingInterval = Duration.ofMillis(500);
        private Duration udpTimeout = Duration.ofMillis(2500);
        private Duration probeInterval = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private InetSocketAddress bindAddress = new InetSocketAddress(0);
        private EventLoopGroup group;

        private Builder(InetSocketAddress relay, MediaKeys keys) {
            this.relay = Objects.requireNonNull(relay, "relay");
            this.keys = Objects.requireNonNull(keys, "keys");
        }

        /** The fallback path (none by default: UDP only). */
        public Builder tunnel(MediaTunnel tunnel) {
            this.tunnel = Objects.requireNonNull(tunnel, "tunnel");
            return this;
        }

        /** Keep-alive/RTT ping period on the current path (default 500 ms). */
        public Builder pingInterval(Duration d) {
            this.pingInterval = positive(d, "pingInterval");
            return this;
        }

        /** UDP silence after which media moves to the tunnel (default 2.5 s). */
        public Builder udpTimeout(Duration d) {
            this.udpTimeout = positive(d, "udpTimeout");
            return this;
        }

        /** UDP probe period while tunnelled (default 2 s). */
        public Builder probeInterval(Duration d) {
            this.probeInterval = positive(d, "probeInterval");
            return this;
        }

        /** How long {@link #connect()} waits for a first answer on any path (default 10 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** Local UDP address (default any address, ephemeral port). */
        public Builder bindAddress(InetSocketAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Runs on this NIO event loop group instead of a new single-thread one (not shut down on dispose). */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /**
         * Binds the socket and registers with the relay. Emits the transport once the relay
         * answered on either path; fails with {@link MediaTransportException} after
         * {@code connectTimeout}, or with the bind error. Cancelling disposes the transport.
         */
        public Mono<MediaTransport> connect() {
            return Mono.defer(() -> new MediaTransport(this).start(bindAddress, connectTimeout));
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
