package dev.odinreactive.server.test;

import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.Frame;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.Notification;
import dev.odinreactive.protocol.ProtocolLimits;
import dev.odinreactive.protocol.Request;
import dev.odinreactive.protocol.Response;
import dev.odinreactive.protocol.internal.MsgpackCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

/**
 * A deliberately raw control-channel client for server tests: Reactor Netty WebSocket + the
 * codec, no SDK logic. Calls block the test thread (never an event loop) with timeouts.
 */
public final class RawClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final Map<Long, BlockingQueue<Response>> responses = new ConcurrentHashMap<>();
    private final BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
    private final AtomicLong ids = new AtomicLong();
    private final CountDownLatch connected = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicReference<Channel> channel = new AtomicReference<>();
    private final AtomicReference<String> closeReason = new AtomicReference<>();
    private final reactor.core.Disposable connection;
    private final java.util.function.Consumer<Notification> listener;
    private final Map<Long, Long> responseNanos = new ConcurrentHashMap<>();

    private RawClient(String url, boolean answerPings, java.util.function.Consumer<Notification> listener) {
        this.listener = listener;
        HttpClient.WebsocketSender client = HttpClient.create(ConnectionProvider.newConnection())
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(ProtocolLimits.DEFAULTS.maxServerFrameBytes())
                        .handlePing(!answerPings).build());
        connection = client.uri(url)
                .handle((in, out) -> {
                    in.withConnection(c -> channel.set(c.channel()));
                    connected.countDown();
                    in.receiveCloseStatus().subscribe(s -> closeReason.set(s.code() + " " + s.reasonText()));
                    return out.sendObject(outbound.asFlux()).then()
                            .and(in.aggregateFrames(ProtocolLimits.DEFAULTS.maxServerFrameBytes()).receiveFrames()
                                    .filter(f -> f instanceof BinaryWebSocketFrame)
                                    .doOnNext(f -> {
                                        Frame frame = MsgpackCodec.decode(f.content().nioBuffer(), Integer.MAX_VALUE);
                                        if (frame instanceof Response r) {
                                            responseNanos.put(r.id(), System.nanoTime());
                                            responses.computeIfAbsent(r.id(), k -> new LinkedBlockingQueue<>()).add(r);
                                        } else if (frame instanceof Notification n) {
                                            if (listener != null) {
                                                listener.accept(n);
                                            } else {
                                                notifications.add(n);
                                            }
                                        }
                                    }).then());
                })
                .doFinally(s -> closed.countDown())
                .subscribe(v -> { }, e -> closed.countDown());
    }

    /** Connects (answering pings like a healthy client). */
    public static RawClient connect(String controlUrl) {
        return connect(controlUrl, true);
    }

    /** Connects; with {@code answerPings=false} the client never answers pings (a vanished peer). */
    public static RawClient connect(String controlUrl, boolean answerPings) {
        return connect(controlUrl, answerPings, null);
    }

    /**
     * Connects; notifications go to {@code listener} on the client's event loop (instead of
     * {@link #next()}), for load tests.
     */
    public static RawClient connect(String controlUrl, boolean answerPings, java.util.function.Consumer<Notification> listener) {
        RawClient c = new RawClient(controlUrl, answerPings, listener);
        try {
            if (!c.connected.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("WebSocket did not connect to " + controlUrl);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return c;
    }

    /** Sends a request and returns its id. */
    public long send(String method, Map<String, Object> params) {
        long id = ids.incrementAndGet();
        sendRaw(MsgpackCodec.encode(new Request(id, method, params)));
        return id;
    }

    /** Sends raw bytes as one binary frame. */
    public void sendRaw(byte[] bytes) {
        outbound.emitNext(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)), Sinks.EmitFailureHandler.busyLooping(TIMEOUT));
    }

    /** Sends a text frame (not allowed by the protocol). */
    public void sendText(String text) {
        outbound.emitNext(new TextWebSocketFrame(text), Sinks.EmitFailureHandler.busyLooping(TIMEOUT));
    }

    /** Waits for the response to request {@code id}. */
    public Response response(long id) {
        return response(id, TIMEOUT);
    }

    /** Waits up to {@code timeout} for the response to request {@code id}. */
    public Response response(long id, Duration timeout) {
        try {
            Response r = responses.computeIfAbsent(id, k -> new LinkedBlockingQueue<>()).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no response to request " + id + " within " + timeout);
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** When the response to {@code id} arrived ({@link System#nanoTime()}), or null. */
    public Long responseArrivalNanos(long id) {
        return responseNanos.get(id);
    }

    /** Sends a request and waits for its response. */
    public Response call(String method, Map<String, Object> params) {
        return response(send(method, params));
    }

    /** Calls and asserts success; returns the result. */
    public Object ok(String method, Map<String, Object> params) {
        Response r = call(method, params);
        if (r.error() != null) {
            throw new AssertionError(method + " failed: " + r.error());
        }
        return r.result();
    }

    /** Calls and asserts the error code. */
    public Response expectError(String method, Map<String, Object> params, ErrorCode code) {
        Response r = call(method, params);
        if (r.error() == null || r.error().code() != code) {
            throw new AssertionError(method + ": expected " + code + " but got " + (r.error() == null ? "success" : r.error()));
        }
        return r;
    }

    public void hello() {
        ok(Methods.HELLO, Map.of("protocol", 1L, "client", "raw-test"));
    }

    /** Hello + JoinRoom; returns the JoinRoom result map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> join(String token, String roomId, byte[] userData, double... position) {
        hello();
        Map<String, Object> p = new java.util.HashMap<>();
        p.put("token", token);
        p.put("room_id", roomId);
        p.put("user_data", userData);
        if (position.length == 3) {
            p.put("position", List.of(position[0], position[1], position[2]));
        }
        return (Map<String, Object>) ok(Methods.JOIN_ROOM, p);
    }

    /** The next notification, failing after the timeout. */
    public Notification next() {
        return next(TIMEOUT);
    }

    public Notification next(Duration timeout) {
        try {
            Notification n = notifications.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (n == null) {
                throw new AssertionError("no notification within " + timeout);
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Notifications received so far and not yet taken. */
    public List<Notification> drain() {
        List<Notification> out = new ArrayList<>();
        notifications.drainTo(out);
        return out;
    }

    /** Waits until the server closed the connection; returns the close status text if any. */
    public String awaitClosed() {
        try {
            if (!closed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("connection still open after " + TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return closeReason.get();
    }

    public boolean isOpen() {
        Channel c = channel.get();
        return c != null && c.isActive();
    }

    /** Stops reading from the socket (to simulate a slow consumer). */
    public void pauseReading() {
        channel.get().config().setAutoRead(false);
    }

    /** Drops the TCP connection without a WebSocket close (a crashed client). */
    public void kill() {
        channel.get().close();
    }

    @Override
    public void close() {
        connection.dispose();
        Channel c = channel.get();
        if (c != null) {
            c.close();
        }
    }
}
