package dev.odinreactive.client;

import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.Frame;
import dev.odinreactive.protocol.HelloResult;
import dev.odinreactive.protocol.JoinResult;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.Notification;
import dev.odinreactive.protocol.PeerInfo;
import dev.odinreactive.protocol.ProtocolLimits;
import dev.odinreactive.protocol.Request;
import dev.odinreactive.protocol.Response;
import dev.odinreactive.protocol.internal.MsgpackCodec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A scripted peer for client unit tests: a real HTTP + WebSocket server on loopback that
 * answers the gateway and speaks the wire protocol through the shared codec, but whose
 * answers each test chooses (silence, errors, notifications, snapshots, closing). Not a room
 * server: the real one is tested in src/it.
 */
final class ScriptedServer implements AutoCloseable {

    /** One accepted control connection. */
    final class Conn {
        private final Sinks.Many<WebSocketFrame> out = Sinks.many().unicast().onBackpressureBuffer();
        final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
        volatile Connection connection;

        synchronized void send(Frame f) {
            out.tryEmitNext(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(MsgpackCodec.encode(f))));
        }

        void ok(Request r, Object result) {
            send(Response.ok(r.id(), result));
        }

        void error(Request r, ErrorCode code) {
            send(Response.error(r.id(), code, "scripted"));
        }

        void notify(String method, Map<String, Object> params) {
            send(new Notification(method, params));
        }

        void roomUpdate(Map<String, Object> update) {
            notify(Methods.ROOM_UPDATED, Map.of("updates", List.of(update)));
        }

        /** Drops the TCP connection from the server side (what a crash or network loss looks like). */
        synchronized void close() {
            out.tryEmitComplete();
            Connection c = connection;
            if (c != null) {
                c.dispose();
            }
        }

        /** Next request of the given method (others are skipped), or fails after 5 s. */
        Request next(String method) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                Request r = requests.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new AssertionError("no " + method + " request within 5 s");
                }
                if (r.method().equals(method)) {
                    return r;
                }
            }
        }
    }

    final BlockingQueue<Conn> conns = new LinkedBlockingQueue<>();
    /** Per-method answers; methods without a script are answered {@code nil}. */
    final Map<String, BiConsumer<Conn, Request>> script = new ConcurrentHashMap<>();
    volatile boolean gatewaySilent;
    volatile String gatewayErrorCode;
    private final DisposableServer server;

    ScriptedServer() {
        this(0);
    }

    ScriptedServer(int port) {
        script.put(Methods.HELLO, (c, r) -> c.ok(r, hello().toWire()));
        script.put(Methods.JOIN_ROOM, (c, r) -> c.ok(r, snapshot(100, List.of()).toWire()));
        server = HttpServer.create().host("127.0.0.1").port(port)
                .route(routes -> routes
                        .post("/", (req, res) -> {
                            if (gatewaySilent) {
                                return Mono.never();
                            }
                            String body = gatewayErrorCode != null
                                    ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32700,\"message\":\"no\",\"data\":{\"code\":\""
                                    + gatewayErrorCode + "\"}}}"
                                    : "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"address\":\"127.0.0.1:" + port()
                                    + "\",\"token\":\"" + bearer(req.requestHeaders().get("Authorization")) + "\"}}";
                            return res.header("Content-Type", "application/json")
                                    .sendString(Mono.just(body)).then();
                        })
                        .ws("/v1/room", (in, out) -> {
                            Conn c = new Conn();
                            in.withConnection(conn -> c.connection = conn);
                            conns.add(c);
                            Mono<Void> read = in.aggregateFrames().receiveFrames()
                                    .doOnNext(f -> {
                                        byte[] b = new byte[f.content().readableBytes()];
                                        f.content().getBytes(f.content().readerIndex(), b);
                                        if (b.length > 0 && (b[0] & 0xFF) == Methods.TUNNEL_PREFIX) {
                                            return; // a media datagram tunnelled by the client: no relay here
                                        }
                                        Request r = (Request) MsgpackCodec.decode(b, 1 << 20);
                                        c.requests.add(r);
                                        script.getOrDefault(r.method(), (cc, rr) -> cc.ok(rr, null)).accept(c, r);
                                    })
                                    .then()
                                    .doFinally(s -> c.close());
                            return Mono.when(read, out.sendObject(c.out.asFlux()).then());
                        }))
                .bindNow(Duration.ofSeconds(5));
    }

    int port() {
        return server.port();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    Conn nextConn() throws InterruptedException {
        Conn c = conns.poll(5, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no connection within 5 s");
        }
        return c;
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }

    static HelloResult hello() {
        return new HelloResult(1, "scripted", ProtocolLimits.DEFAULTS, 60_000, 30_000);
    }

    static JoinResult snapshot(long ownPeerId, List<PeerInfo> peers) {
        return new JoinResult("room1", "cust", new byte[0], peers, ownPeerId, List.of(1, 2, 3));
    }

    static PeerInfo peer(long id, String data) {
        return new PeerInfo(id, "user-" + id, data.getBytes(StandardCharsets.UTF_8), List.of());
    }

    /** An unsigned JWT-shaped token (the scripted server does not verify). */
    static String token(String payloadJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"EdDSA\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    static String token() {
        return token("{\"rid\":\"room1\",\"uid\":\"me\"}");
    }

    private static String bearer(String header) {
        return header == null ? "" : header.substring("Bearer ".length());
    }
}
