package dev.odinreactive.server.relay;

import dev.odinreactive.protocol.media.MediaKey;
import dev.odinreactive.protocol.media.MediaKeys;
import dev.odinreactive.protocol.media.internal.MediaWire;
import dev.odinreactive.protocol.media.internal.OwnedThreads;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The UDP media relay (SFU without decoding). One datagram socket served by one event loop
 * (native epoll with recvmmsg/sendmmsg where available, NIO otherwise): each inbound datagram is
 * authenticated and decrypted once, checked against ODIN's limits ({@link RelayLimits}), and
 * re-sealed once per distinct downlink key among its receivers — so receivers that share a
 * room's forwarding key ({@link #newForwardingKey()}) all get identical bytes for one seal.
 *
 * <p>Create with {@link #builder()}, {@link Builder#bind()} to start; {@link #dispose()} closes
 * the socket and stops the event loop it created. All methods are thread-safe.
 */
public final class MediaRelay implements Disposable {

    private final RelayEngine engine;
    private final RelayLimits limits;
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final OwnedThreads ownThreads = new OwnedThreads("odin-relay");
    private final boolean nativeTransport;
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, RelaySession> sessionIds = new ConcurrentHashMap<>();
    private final Map<Integer, Downlink> forwardingKeys = new ConcurrentHashMap<>();
    private volatile Channel channel;
    private volatile boolean disposed;

    private MediaRelay(Builder b) {
        this.limits = b.limits;
        this.engine = new RelayEngine(b.routing, b.limits, b.clock, sessionIds::get);
        this.nativeTransport = b.nativeTransport && Epoll.isAvailable();
        if (b.group != null) {
            this.group = b.group;
            this.ownGroup = false;
        } else {
            this.group = new MultiThreadIoEventLoopGroup(1, ownThreads.factory(),
                    nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            this.ownGroup = true;
        }
    }

    /** A builder; {@link Builder#routing} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bound UDP address (the port clients send to). */
    public InetSocketAddress address() {
        return (InetSocketAddress) requireChannel().localAddress();
    }

    /** Whether the relay runs on native epoll (recvmmsg/sendmmsg) rather than NIO. */
    public boolean isNative() {
        return nativeTransport;
    }

    public RelayLimits limits() {
        return limits;
    }

    /**
     * A new forwarding key for a group of receivers (a room): sessions opened with it share one
     * downlink key, so a packet forwarded to all of them costs one seal and identical bytes.
     * Retire it with {@link #retireForwardingKey} when the room closes.
     */
    public MediaKey newForwardingKey() {
        while (true) {
            MediaKey key = MediaKey.random(random.nextInt(), random);
            if (forwardingKeys.putIfAbsent(key.id(), new Downlink(key, true)) == null) {
                return key;
            }
        }
    }

    /** Forgets a forwarding key; sessions already opened with it keep using it. */
    public void retireForwardingKey(MediaKey key) {
        forwardingKeys.remove(key.id());
    }

    /**
     * Opens a media session for a joined peer.
     *
     * @param context    anything the control plane wants back from {@link RelaySession#context()}
     * @param forwarding a key from {@link #newForwardingKey()} shared by the room, or {@code null}
     *                   for a downlink key of this session alone (one seal per receiver)
     * @return the session; its {@link RelaySession#keys()} go to the client
     * @throws IllegalArgumentException if {@code forwarding} was not made by this relay
     * @throws IllegalStateException    if the relay is disposed
     */
    public RelaySession openSession(Object context, MediaKey forwarding) {
        if (disposed) {
            throw new IllegalStateException("relay disposed");
        }
        Downlink downlink;
        if (forwarding == null) {
            downlink = new Downlink(MediaKey.random(random.nextInt(), random), false);
        } else {
            downlink = forwardingKeys.get(forwarding.id());
            if (downlink == null || !downlink.key.equals(forwarding)) {
                throw new IllegalArgumentException("not a forwarding key of this relay: " + forwarding);
            }
        }
        while (true) {
            MediaKey uplink = MediaKey.random(random.nextInt(), random);
            RelaySession session = new RelaySession(this, new MediaKeys(uplink, downlink.key), downlink, context, limits);
            if (sessionIds.putIfAbsent(uplink.id(), session) == null) {
                return session; // the event loop picks it up from sessionIds on its first datagram
            }
        }
    }

    /** A snapshot of relay-wide counters. */
    public RelayStats stats() {
        RelayEngine e = engine;
        return new RelayStats(e.datagramsIn, e.bytesIn, e.datagramsOut, e.bytesOut, e.forwarded, e.opens, e.seals,
                sessionIds.size(), e.drops.snapshot());
    }

    RelayEngine engine() {
        return engine;
    }

    void closeSession(RelaySession session) {
        sessionIds.remove(session.id, session);
        if (!group.isShuttingDown()) {
            eventLoop().execute(() -> engine.sessions.remove(session.id, session));
        }
    }

    void receiveTunneled(RelaySession session, ByteBuf datagram) {
        if (disposed || session.closed) {
            datagram.release();
            return;
        }
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            engine.handleTunneled(session, datagram);
        } else {
            try {
                loop.execute(() -> engine.handleTunneled(session, datagram));
            } catch (RuntimeException rejected) {
                datagram.release();
            }
        }
    }

    private EventLoop eventLoop() {
        return requireChannel().eventLoop();
    }

    private Channel requireChannel() {
        Channel c = channel;
        if (c == null) {
            throw new IllegalStateException("relay not bound");
        }
        return c;
    }

    private Mono<MediaRelay> bind(InetSocketAddress address) {
        // A socket bound to one IPv4 address can only ever talk IPv4: open it as AF_INET rather
        // than dual-stack AF_INET6, which saves the kernel's v6-to-v4 detour and the JNI layer's
        // v4-mapped address conversion on every datagram sent.
        boolean ipv4 = address.getAddress() instanceof Inet4Address && !address.getAddress().isAnyLocalAddress();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(nativeTransport
                        ? () -> ipv4 ? new EpollDatagramChannel(SocketProtocolFamily.INET) : new EpollDatagramChannel()
                        : () -> ipv4 ? new NioDatagramChannel(SocketProtocolFamily.INET) : new NioDatagramChannel())
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .option(ChannelOption.MAX_MESSAGES_PER_READ, 64)
                .handler(engine);
        if (nativeTransport) {
            // recvmmsg: one read fills up to 32 datagram slots of one buffer
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 1500)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(1500 * 32));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MediaWire.MAX_DATAGRAM + 1));
        }
        return Mono.<MediaRelay>create(sink -> bootstrap.bind(address).addListener(f -> {
            if (f.isSuccess()) {
                channel = ((io.netty.channel.ChannelFuture) f).channel();
                sink.success(this);
            } else {
                dispose();
                sink.error(f.cause());
            }
        }));
    }

    /** Closes the socket, drops all sessions and stops the event loop the relay created. Idempotent. */
    @Override
    public void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        for (RelaySession s : sessionIds.values()) {
            s.closed = true;
        }
        sessionIds.clear();
        Channel c = channel;
        if (c != null) {
            c.close().syncUninterruptibly();
        }
        if (ownGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            ownThreads.join(2000);
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    /** Options for a {@link MediaRelay}. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress(0);
        private RelayRouting routing;
        private RelayLimits limits = RelayLimits.DEFAULTS;
        private boolean nativeTransport = true;
        private LongSupplier clock = System::nanoTime;
        private EventLoopGroup group;

        private Builder() {
        }

        /** UDP address to bind; default any address, ephemeral port (the server binds its TCP port number). */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Who receives what (required). */
        public Builder routing(RelayRouting routing) {
            this.routing = Objects.requireNonNull(routing, "routing");
            return this;
        }

        public Builder limits(RelayLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Use native epoll when available (default {@code true}); {@code false} forces NIO. */
        public Builder nativeTransport(boolean nativeTransport) {
            this.nativeTransport = nativeTransport;
            return this;
        }

        /** Monotonic nanosecond clock for rate limits and stream slots (tests use a manual one). */
        public Builder clock(LongSupplier clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Runs on this event loop group instead of a new single-thread one (not shut down by the
         * relay). Its IO handler must match {@link #nativeTransport}.
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** Binds the socket; emits the running relay, or the bind error (e.g. port in use). */
        public Mono<MediaRelay> bind() {
            Objects.requireNonNull(routing, "routing is required");
            return Mono.defer(() -> new MediaRelay(this).bind(address));
        }
    }
}
