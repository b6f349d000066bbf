package dev.odinreactive.client.internal;

import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.OdinException.Reason;
import dev.odinreactive.client.OdinException.Step;
import dev.odinreactive.protocol.Frame;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.Notification;
import dev.odinreactive.protocol.ProtocolException;
import dev.odinreactive.protocol.Request;
import dev.odinreactive.protocol.Response;
import dev.odinreactive.protocol.internal.MsgpackCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One control WebSocket: sends requests, correlates responses, hands notifications to one
 * handler, pings for RTT and liveness.
 *
 * <p>Threads: frames are read and decoded on the connection's event loop; response and
 * notification callbacks run there too (they never block). {@link #request} may be called from
 * any thread. Every request ends: with the server's answer, a {@code TIMEOUT} after its
 * timeout, or {@code CONNECTION_LOST} when the connection ends first, so no {@code Mono} hangs.
 * Notifications that arrive before {@link #onNotification} is set are kept (bounded) and handed
 * over in order when it is.
 */
public final class ControlConnection {

    private static final Logger log = LoggerFactory.getLogger(ControlConnection.class);

    /** Most notifications kept while no handler is set (only the window between join and wiring). */
    private static final int MAX_EARLY = 10_000;

    /** How the connection ended. */
    public record CloseInfo(boolean local, int code, String reason, Throwable error) {
    }

    private record Pending(String method, Step step, MonoSink<Object> sink) {
    }

    private final RoomStats stats;
    private final int maxInboundFrame;
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1);
    private final Object sendLock = new Object();
    private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.One<CloseInfo> closed = Sinks.one();
    private final Object handlerLock = new Object();
    private final ArrayDeque<Notification> early = new ArrayDeque<>();
    private Consumer<Notification> handler; // guarded by handlerLock
    private volatile boolean terminated;
    private volatile Connection connection;
    private volatile Disposable session;
    private volatile Disposable ping;
    private volatile int closeCode = -1;
    private volatile String closeReason = "";
    private volatile Consumer<ByteBuf> datagrams; // media tunnel (docs/protocol.md M5)

    private ControlConnection(RoomStats stats, int maxInboundFrame) {
        this.stats = stats;
        this.maxInboundFrame = maxInboundFrame;
    }

    /**
     * Opens the WebSocket; emits once the handshake completed. Fails with
     * {@code CONNECTION_FAILED} (step {@code CONNECT}) if it cannot. Cancelling closes it.
     */
    public static Mono<ControlConnection> open(HttpClient http, URI uri, RoomStats stats, int maxInboundFrame) {
        return Mono.create(sink -> {
            ControlConnection c = new ControlConnection(stats, maxInboundFrame);
            AtomicBoolean opened = new AtomicBoolean();
            Disposable d = http.websocket(WebsocketClientSpec.builder()
                            .maxFramePayloadLength(maxInboundFrame)
                            .build())
                    .uri(uri)
                    .handle((in, out) -> {
                        in.withConnection(conn -> c.connection = conn);
                        in.receiveCloseStatus().subscribe(s -> {
                            c.closeCode = s.code();
                            c.closeReason = s.reasonText();
                        });
                        Mono<Void> read = in.aggregateFrames(maxInboundFrame).receiveFrames()
                                .doOnNext(c::onFrame)
                                .then()
                                .doFinally(s -> c.completeOutbound());
                        Mono<Void> write = out.sendObject(c.outbound.asFlux()).then();
                        opened.set(true);
                        sink.success(c);
                        return Mono.when(read, write);
                    })
                    .then()
                    .subscribe(null,
                            err -> {
                                if (!opened.get()) {
                                    sink.error(connectFailed(uri, err));
                                }
                                c.terminate(new CloseInfo(false, c.closeCode, c.closeReason, err));
                            },
                            () -> {
                                if (!opened.get()) { // closed before the handshake finished: never leave the join hanging
                                    sink.error(connectFailed(uri, new java.io.IOException("connection closed during the handshake")));
                                }
                                c.terminate(new CloseInfo(false, c.closeCode, c.closeReason, null));
                            });
            c.session = d;
            sink.onCancel(() -> c.abort("join cancelled"));
        });
    }

    private static OdinException connectFailed(URI uri, Throwable err) {
        String what = err instanceof WebSocketClientHandshakeException h
                ? "WebSocket handshake refused (" + (h.response() == null ? "no response" : "HTTP " + h.response().status().code()) + ")"
                : err.getClass().getSimpleName() + (err.getMessage() == null ? "" : ": " + err.getMessage());
        return new OdinException(Reason.CONNECTION_FAILED, null, Step.CONNECT,
                "cannot open the control channel to " + uri.getHost() + ":" + uri.getPort() + ": " + what, err);
    }

    /**
     * Sends a request; emits the result ({@code null} results complete empty). Errors: the
     * server's rejection, {@code TIMEOUT} (with {@code step}) after {@code timeout},
     * {@code CONNECTION_LOST}, {@code INVALID_ARGUMENT} for params the codec cannot encode.
     */
    public Mono<Object> request(String method, Map<String, Object> params, Duration timeout, Step step) {
        return Mono.create((MonoSink<Object> sink) -> {
                    if (terminated) {
                        sink.error(Errors.connectionLost(method));
                        return;
                    }
                    long id = ids.getAndUpdate(i -> i >= Request.MAX_ID ? 1 : i + 1);
                    Pending p = new Pending(method, step, sink);
                    pending.put(id, p);
                    sink.onDispose(() -> pending.remove(id, p));
                    byte[] bytes;
                    try {
                        bytes = MsgpackCodec.encode(new Request(id, method, params));
                    } catch (RuntimeException e) {
                        if (pending.remove(id, p)) {
                            sink.error(new OdinException(Reason.INVALID_ARGUMENT, null, step,
                                    "cannot encode " + method + ": " + e.getMessage(), e));
                        }
                        return;
                    }
                    if (!send(bytes) && pending.remove(id, p)) {
                        sink.error(Errors.connectionLost(method));
                    }
                })
                .timeout(timeout, Mono.error(() -> new OdinException(Reason.TIMEOUT, null, step,
                        method + " got no answer within " + timeout.toMillis() + " ms", null)));
    }

    /** Sets the receiver of notifications (first the ones that arrived before, in order). */
    public void onNotification(Consumer<Notification> h) {
        synchronized (handlerLock) {
            handler = h;
            while (!early.isEmpty()) {
                h.accept(early.poll());
            }
        }
    }

    /** Emits once when the connection has ended (for whatever reason); never errors. */
    public Mono<CloseInfo> onClose() {
        return closed.asMono();
    }

    public boolean isTerminated() {
        return terminated;
    }

    /**
     * Pings every {@code interval}, one ping at a time; updates the RTT; a ping without answer
     * within {@code timeout} means the server is gone: the connection is aborted (ends with an
     * error). Ticks that fall while a ping is unanswered are skipped (a slow answer or a stalled
     * JVM never stops the pinger), and a ping the server rejects (e.g. rate limited) is skipped too.
     */
    public void startPing(Duration interval, Duration timeout) {
        Disposable p = Flux.interval(interval, interval)
                // Flux.interval fails with an overflow when a tick finds no demand; without the
                // drop, one answer slower than the prefetched ticks ended pinging for good
                .onBackpressureDrop()
                .concatMap(tick -> {
                    long t = System.nanoTime();
                    return request(Methods.PING, Map.of("t", t), timeout, Step.REQUEST)
                            .doOnSuccess(r -> stats.rttNanos.set(System.nanoTime() - t))
                            .onErrorResume(e -> !isTimeout(e), e -> {
                                log.debug("control channel: ping failed, pinging on: {}", e.toString());
                                return Mono.empty();
                            })
                            .then();
                }, 0) // no prefetch: no burst of queued pings after a slow answer
                .subscribe(null, err -> {
                    if (isTimeout(err)) {
                        log.debug("control channel: ping timed out, treating the connection as lost");
                        abort("ping timeout");
                    } else {
                        log.warn("control channel: pinging stopped: {}", err.toString());
                    }
                });
        ping = p;
        if (terminated) {
            p.dispose();
        }
    }

    private static boolean isTimeout(Throwable e) {
        return e instanceof OdinException o && o.reason() == Reason.TIMEOUT;
    }

    /**
     * Closes politely: WebSocket close frame, then waits for the server's close up to
     * {@code grace}, then drops the socket. Completes when the connection has ended.
     */
    public Mono<Void> close(Duration grace) {
        return Mono.defer(() -> {
            synchronized (sendLock) {
                if (!terminated) {
                    outbound.tryEmitNext(new CloseWebSocketFrame(1000, "bye"));
                    outbound.tryEmitComplete();
                }
            }
            return onClose().timeout(grace, Mono.fromRunnable(() -> abort("close timeout")))
                    .then(onClose()).then();
        });
    }

    /** Drops the connection at once; pending requests fail with {@code CONNECTION_LOST}. */
    public void abort(String why) {
        Connection c = connection;
        if (c != null) {
            c.dispose();
        }
        Disposable s = session;
        if (s != null) {
            s.dispose();
        }
        terminate(new CloseInfo(true, -1, why, null));
    }

    /** The server's address (null before the handshake). */
    public java.net.InetSocketAddress remoteAddress() {
        Connection c = connection;
        return c == null ? null : (java.net.InetSocketAddress) c.channel().remoteAddress();
    }

    /**
     * Media tunnel: sends one sealed datagram as a {@code 0xFF}-prefixed binary message, straight
     * to the socket (not through the request queue). Takes ownership of the buffer. Returns
     * false (buffer released) when closed or the socket is not writable: live media is dropped,
     * never queued.
     */
    public boolean sendDatagram(ByteBuf datagram) {
        Connection c = connection;
        io.netty.channel.Channel ch = c == null ? null : c.channel();
        if (terminated || ch == null || !ch.isActive() || !ch.isWritable()) {
            datagram.release();
            return false;
        }
        ByteBuf framed = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(new byte[] {(byte) Methods.TUNNEL_PREFIX}), datagram);
        ch.writeAndFlush(new BinaryWebSocketFrame(framed), ch.voidPromise());
        return true;
    }

    /** Sets the receiver of tunnelled datagrams (a heap copy each, the receiver releases it). */
    public void onDatagram(Consumer<ByteBuf> receiver) {
        this.datagrams = receiver;
    }

    private boolean send(byte[] bytes) {
        synchronized (sendLock) {
            if (terminated) {
                return false;
            }
            if (outbound.tryEmitNext(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))).isSuccess()) {
                stats.sent(bytes.length);
                return true;
            }
            return false;
        }
    }

    private void completeOutbound() {
        synchronized (sendLock) {
            outbound.tryEmitComplete();
        }
    }

    private void terminate(CloseInfo info) {
        synchronized (sendLock) {
            if (terminated) {
                return;
            }
            terminated = true;
            outbound.tryEmitComplete();
        }
        Disposable p = ping;
        if (p != null) {
            p.dispose();
        }
        for (Long id : pending.keySet()) {
            Pending p2 = pending.remove(id);
            if (p2 != null) {
                p2.sink().error(Errors.connectionLost(p2.method()));
            }
        }
        closed.tryEmitValue(info);
    }

    private void onFrame(WebSocketFrame f) {
        if (!(f instanceof BinaryWebSocketFrame)) {
            log.debug("control channel: ignoring a non-binary frame ({})", f.getClass().getSimpleName());
            return;
        }
        ByteBuf buf = f.content();
        stats.received(buf.readableBytes());
        if (buf.isReadable() && buf.getUnsignedByte(buf.readerIndex()) == Methods.TUNNEL_PREFIX) {
            Consumer<ByteBuf> d = datagrams;
            if (d != null) {
                d.accept(Unpooled.copiedBuffer(buf.slice(buf.readerIndex() + 1, buf.readableBytes() - 1)));
            }
            return;
        }
        Frame frame;
        try {
            frame = MsgpackCodec.decode(ByteBufUtil.getBytes(buf), maxInboundFrame); // heap copy: msgpack-core cannot read direct buffers on JDK 17+
        } catch (ProtocolException e) {
            log.warn("control channel: dropping an undecodable frame from the server: {}", e.getMessage());
            return;
        }
        if (frame instanceof Response r) {
            Pending p = pending.remove(r.id());
            if (p == null) {
                log.debug("control channel: response to unknown/expired request {}", r.id());
            } else if (r.isSuccess()) {
                if (r.result() == null) {
                    p.sink().success();
                } else {
                    p.sink().success(r.result());
                }
            } else {
                p.sink().error(Errors.fromRpc(r.error(), p.method(), p.step()));
            }
        } else if (frame instanceof Notification n) {
            if (Methods.ERROR.equals(n.method())) {
                log.warn("control channel: server reported an error for a frame without id: {}", n.params());
                return;
            }
            dispatch(n);
        } else {
            log.debug("control channel: ignoring a request from the server");
        }
    }

    private void dispatch(Notification n) {
        Consumer<Notification> h;
        synchronized (handlerLock) {
            h = handler;
            if (h == null) {
                if (early.size() < MAX_EARLY) {
                    early.add(n);
                }
                return;
            }
        }
        try {
            h.accept(n);
        } catch (RuntimeException e) {
            log.warn("control channel: notification {} could not be applied: {}", n.method(), e.toString());
        }
    }
}
