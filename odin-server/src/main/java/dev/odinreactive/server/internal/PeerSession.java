package dev.odinreactive.server.internal;

import static dev.odinreactive.protocol.Methods.*;

import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.Frame;
import dev.odinreactive.protocol.HelloResult;
import dev.odinreactive.protocol.Params;
import dev.odinreactive.protocol.ProtocolException;
import dev.odinreactive.protocol.ProtocolLimits;
import dev.odinreactive.protocol.Request;
import dev.odinreactive.protocol.Response;
import dev.odinreactive.protocol.internal.MsgpackCodec;
import dev.odinreactive.protocol.media.internal.TokenBucket;
import dev.odinreactive.token.TokenException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.websocket.WebsocketInbound;

/**
 * One control WebSocket ({@code GET /v1/room}): Hello, then one JoinRoom, then room commands.
 * Inbound frames are decoded on the event loop as they arrive (rate limit first, then strict
 * decode) and handled one after the other; every bad input is answered with a typed error and
 * the connection is kept, except after {@value #MAX_CONSECUTIVE_GARBAGE} undecodable frames in a
 * row. Outbound frames go through a bounded {@link Outbound}.
 */
final class PeerSession {

    private static final Logger log = LoggerFactory.getLogger(PeerSession.class);
    static final int MAX_CONSECUTIVE_GARBAGE = 10;
    /** First byte of a tunnelled media datagram (docs/protocol.md M5); never starts a msgpack array. */
    static final byte MEDIA_TUNNEL_PREFIX = (byte) TUNNEL_PREFIX;
    private static final double[] ORIGIN = {0, 0, 0};
    private static final byte[] EMPTY = new byte[0];

    enum State { AWAIT_HELLO, READY, JOINING, JOINED, CLOSED }

    private final ServerCore server;
    private final Channel channel;
    private final Outbound outbound;
    private final TokenBucket bucket;
    private final ProtocolLimits limits;
    private final java.util.concurrent.atomic.AtomicReference<State> state = new java.util.concurrent.atomic.AtomicReference<>(State.AWAIT_HELLO);
    private volatile Room room;
    private volatile Peer peer;
    private volatile long lastSeenNanos;
    private volatile long lastPingNanos;
    private int garbageInARow;

    PeerSession(ServerCore server, Channel channel) {
        this.server = server;
        this.channel = channel;
        this.limits = server.config().limits().protocolLimits();
        this.outbound = new Outbound(channel, server.config().limits().outboundQueueFrames(), this::slowConsumer);
        long now = System.nanoTime();
        this.bucket = new TokenBucket(limits.commandRate(), limits.commandBurst(), now);
        this.lastSeenNanos = now;
        this.lastPingNanos = now;
        // any inbound byte (frames, pongs) proves liveness; sits at the head of the pipeline
        channel.pipeline().addFirst("odin-liveness", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                lastSeenNanos = System.nanoTime();
                ctx.fireChannelRead(msg);
            }
        });
    }

    ServerCore server() {
        return server;
    }

    /** The session as one Mono: completes when the WebSocket closes. */
    Mono<Void> handle(WebsocketInbound in, int hardFrameCap) {
        return in.aggregateFrames(hardFrameCap)
                .receiveFrames()
                .<Request>handle((frame, sink) -> {
                    Request r = onFrame(frame);
                    if (r != null) {
                        sink.next(r);
                    }
                })
                .concatMap(this::dispatch, 32)
                .onErrorResume(e -> {
                    log.debug("control connection failed: {}", e.toString());
                    return Mono.empty();
                })
                .doFinally(s -> closed())
                .then();
    }

    // ------------------------------------------------------------ inbound

    /** Runs on the event loop while the frame's buffer is valid; returns a request to dispatch. */
    private Request onFrame(WebSocketFrame frame) {
        if (frame instanceof PongWebSocketFrame || frame instanceof PingWebSocketFrame) {
            return null;
        }
        server.metrics().framesIn.increment();
        if (!(frame instanceof BinaryWebSocketFrame)) {
            garbage(frame instanceof TextWebSocketFrame ? "text frames are not supported; send MessagePack in binary frames"
                    : "unexpected frame type " + frame.getClass().getSimpleName(), -1);
            return null;
        }
        io.netty.buffer.ByteBuf content = frame.content();
        if (content.isReadable() && content.getUnsignedByte(content.readerIndex()) == TUNNEL_PREFIX) {
            tunneled(content); // media datagram (docs/protocol.md M5): the relay applies its own limits
            return null;
        }
        ByteBuffer bytes = content.nioBuffer();
        if (!bucket.tryTake(System.nanoTime())) {
            long id = MsgpackCodec.peekRequestId(bytes);
            ProtocolException e = new ProtocolException(ErrorCode.RATE_LIMITED,
                    "more than " + limits.commandRate() + " commands/s (burst " + limits.commandBurst() + ")");
            if (id >= 0) {
                respondError(id, e);
            } else {
                notifyError(e);
            }
            return null;
        }
        Frame decoded;
        try {
            decoded = MsgpackCodec.decode(bytes, limits.maxFrameBytes());
        } catch (ProtocolException e) {
            if (e.code() == ErrorCode.TOO_LARGE) {
                long id = MsgpackCodec.peekRequestId(bytes);
                if (id >= 0) {
                    respondError(id, e);
                    return null;
                }
            }
            garbage(e.getMessage(), -1);
            return null;
        }
        if (!(decoded instanceof Request r)) {
            garbage("clients send only requests [0, id, method, params]", -1);
            return null;
        }
        garbageInARow = 0;
        return r;
    }

    /** A tunnelled media datagram: into the relay as if it came over UDP; dropped before SetupMedia. */
    private void tunneled(io.netty.buffer.ByteBuf content) {
        Peer p = peer;
        dev.odinreactive.server.relay.RelaySession rs = p == null ? null : p.relay;
        if (rs == null) {
            return;
        }
        int len = content.readableBytes() - 1;
        rs.receiveTunneled(Unpooled.copiedBuffer(content.slice(content.readerIndex() + 1, len)));
    }

    private void garbage(String message, long id) {
        ProtocolException e = new ProtocolException(ErrorCode.PROTOCOL_ERROR, message);
        notifyError(e);
        if (++garbageInARow >= MAX_CONSECUTIVE_GARBAGE) {
            log.debug("closing control connection after {} malformed frames", garbageInARow);
            outbound.closeAfterFlush(1002, "protocol_error");
        }
    }

    /** Handles one request; the returned Mono completes when the next request may be handled. */
    private Mono<Void> dispatch(Request r) {
        try {
            State s = state.get();
            if (s == State.CLOSED) {
                return Mono.empty();
            }
            String method = r.method();
            if (s == State.AWAIT_HELLO && !HELLO.equals(method)) {
                throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "the first request must be Hello");
            }
            switch (method) {
                case HELLO -> hello(r);
                case PING -> {
                    Params p = Params.strict(r.params(), "t");
                    respond(Response.ok(r.id(), p.has("t") ? Map.of("t", p.integer("t", Long.MIN_VALUE, Long.MAX_VALUE)) : Map.of()));
                }
                case JOIN_ROOM -> {
                    return join(r);
                }
                case LEAVE -> leave(r);
                case UPDATE_PEER -> {
                    byte[] data = userData(Params.strict(r.params(), "user_data").bytes("user_data"));
                    requireJoined();
                    room.updatePeerUserData(peer, r.id(), data);
                }
                case SET_PEER_POSITION -> {
                    double[] xyz = Params.strict(r.params(), "position").position("position");
                    requireJoined();
                    room.setPosition(peer, r.id(), xyz);
                }
                case SEND_MESSAGE -> {
                    Params p = Params.strict(r.params(), "message", "target_peer_ids");
                    byte[] message = p.bytes("message");
                    if (message.length > limits.maxMessageBytes()) {
                        throw new ProtocolException(ErrorCode.TOO_LARGE,
                                "message of " + message.length + " bytes exceeds max_message_bytes " + limits.maxMessageBytes());
                    }
                    long[] targets = p.optU64Array("target_peer_ids", limits.maxMessageTargets());
                    requireJoined();
                    room.sendMessage(peer, r.id(), message, targets);
                }
                case SETUP_MEDIA -> {
                    Params.strict(r.params());
                    requireJoined();
                    room.media.setup(peer, r.id());
                }
                case START_MEDIA -> {
                    Params p = Params.strict(r.params(), "media_id", "properties");
                    int mediaId = p.u16("media_id");
                    Map<String, Object> properties = p.optMap("properties", Map.of());
                    requireJoined();
                    room.media.start(peer, r.id(), mediaId, properties);
                }
                case STOP_MEDIA -> {
                    int mediaId = Params.strict(r.params(), "media_id").u16("media_id");
                    requireJoined();
                    room.media.stop(peer, r.id(), mediaId);
                }
                case PAUSE_MEDIA, RESUME_MEDIA -> {
                    int mediaId = Params.strict(r.params(), "media_id").u16("media_id");
                    requireJoined();
                    room.media.pause(peer, r.id(), mediaId, PAUSE_MEDIA.equals(method));
                }
                default -> throw new ProtocolException(ErrorCode.UNKNOWN_METHOD, "unknown method " + method);
            }
        } catch (ProtocolException e) {
            respondError(r.id(), e);
        } catch (RuntimeException e) {
            log.warn("request {} failed", r.method(), e);
            respondError(r.id(), new ProtocolException(ErrorCode.INTERNAL, "internal error"));
        }
        return Mono.empty();
    }

    private void hello(Request r) {
        if (state.get() != State.AWAIT_HELLO) {
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "Hello was already sent");
        }
        Params p = Params.strict(r.params(), "protocol", "client");
        long protocol = p.integer("protocol", 0, Integer.MAX_VALUE);
        p.optString("client", "");
        if (protocol != PROTOCOL_VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_PROTOCOL,
                    "protocol " + protocol + " is not supported; this server speaks " + PROTOCOL_VERSION);
        }
        if (!state.compareAndSet(State.AWAIT_HELLO, State.READY)) {
            return; // closed meanwhile
        }
        respond(Response.ok(r.id(), new HelloResult(PROTOCOL_VERSION, ServerCore.SERVER_NAME, limits,
                server.config().http().pingInterval().toMillis(), server.config().http().timeout().toMillis()).toWire()));
    }

    private Mono<Void> join(Request r) {
        State current = state.get();
        if (current == State.JOINED || current == State.JOINING) {
            throw new ProtocolException(ErrorCode.ALREADY_JOINED, "JoinRoom may be sent once per connection");
        }
        long start = System.nanoTime();
        Params p = Params.strict(r.params(), "token", "room_id", "user_data", "position");
        String token = p.string("token");
        String roomId = p.string("room_id");
        int roomIdBytes = roomId.getBytes(StandardCharsets.UTF_8).length;
        if (roomId.isEmpty() || roomIdBytes > limits.maxRoomIdBytes()) {
            throw new ProtocolException(ErrorCode.INVALID_PARAMS, "room_id must have 1.." + limits.maxRoomIdBytes() + " bytes");
        }
        byte[] data = userData(p.optBytes("user_data", EMPTY));
        double[] position = p.optPosition("position", ORIGIN);
        if (!state.compareAndSet(State.READY, State.JOINING)) {
            return Mono.empty(); // closed meanwhile
        }
        return server.roomVerifier().verify(token)
                .onErrorMap(TokenException.class, e -> new ProtocolException(ErrorCode.fromWire(e.reason().code()), e.getMessage()))
                .flatMap(claims -> {
                    if (!claims.grantsRoom(roomId)) {
                        return Mono.error(new ProtocolException(ErrorCode.ROOM_NOT_ALLOWED,
                                "the token does not grant room " + roomId));
                    }
                    return Mono.<Void>create(sink -> server.join(
                            new JoinRequest(this, claims, roomId, data, position, r.id(), start, sink)));
                })
                .onErrorResume(e -> {
                    ProtocolException pe = e instanceof ProtocolException x ? x
                            : new ProtocolException(ErrorCode.INTERNAL, "internal error");
                    if (!(e instanceof ProtocolException)) {
                        log.warn("JoinRoom failed", e);
                    }
                    joinFailed(r.id(), pe);
                    return Mono.empty();
                });
    }

    private void leave(Request r) {
        respond(Response.ok(r.id(), null));
        Peer p = peer;
        if (p != null) {
            room.leave(p);
        }
        outbound.closeAfterFlush(1000, LEFT_LEAVE);
    }

    private byte[] userData(byte[] data) {
        if (data.length > limits.maxUserDataBytes()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE,
                    "user_data of " + data.length + " bytes exceeds max_user_data_bytes " + limits.maxUserDataBytes());
        }
        return data;
    }

    private void requireJoined() {
        if (state.get() != State.JOINED) {
            throw new ProtocolException(ErrorCode.NOT_JOINED, "join a room first");
        }
    }

    // ------------------------------------------------------------ called by rooms / server

    /**
     * Room task: the peer is about to enter the room. Returns false if the connection closed
     * meanwhile (the room must then not add the peer); once this returned true, {@link #closed()}
     * is guaranteed to see the peer and make it leave.
     */
    boolean joined(Room room, Peer peer) {
        this.room = room;
        this.peer = peer;
        return state.compareAndSet(State.JOINING, State.JOINED);
    }

    /** A JoinRoom failed: answer it and allow another try. */
    void joinFailed(long requestId, ProtocolException e) {
        state.compareAndSet(State.JOINING, State.READY);
        respondError(requestId, e);
    }

    void respond(Response response) {
        send(MsgpackCodec.encode(response));
    }

    void respondError(long requestId, ProtocolException e) {
        server.metrics().reject(e.code().wireName());
        respond(Response.error(requestId, e.code(), e.getMessage()));
    }

    private void notifyError(ProtocolException e) {
        server.metrics().reject(e.code().wireName());
        send(Notifications.error(e.code().wireName(), e.getMessage()));
    }

    /** Queues an encoded frame (shared, never modified). */
    void send(byte[] encoded) {
        if (outbound.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(encoded)))) {
            server.metrics().framesOut.increment();
        }
    }

    void closeAfterFlush(int status, String reason) {
        outbound.closeAfterFlush(status, reason);
    }

    boolean isClosed() {
        return state.get() == State.CLOSED || !channel.isActive();
    }

    boolean isJoined() {
        return state.get() == State.JOINED;
    }

    Room room() {
        return room;
    }

    Peer peer() {
        return peer;
    }

    Channel channel() {
        return channel;
    }

    /** Liveness sweep: ping when due; close a connection that stayed silent past the timeout. */
    void checkLiveness(long nowNanos, long pingIntervalNanos, long timeoutNanos) {
        if (state.get() == State.CLOSED) {
            return;
        }
        if (nowNanos - lastSeenNanos > timeoutNanos) {
            server.metrics().idleTimeouts.increment();
            log.debug("closing silent control connection {}", channel.remoteAddress());
            channel.close(); // the peer is gone: do not wait for a flush it will never read
            return;
        }
        if (nowNanos - lastPingNanos >= pingIntervalNanos) {
            lastPingNanos = nowNanos;
            outbound.send(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
        }
    }

    private void slowConsumer() {
        server.metrics().slowConsumers.increment();
        log.debug("closing slow consumer {}: {} frames queued", channel.remoteAddress(), server.config().limits().outboundQueueFrames());
        channel.eventLoop().execute(channel::close); // never re-enter Netty from inside a room task
    }

    private void closed() {
        State before = state.getAndSet(State.CLOSED);
        outbound.closeAfterFlush(1000, "closed");
        if (before == State.JOINED) {
            room.leave(peer);
        }
        server.unregister(this);
    }
}
