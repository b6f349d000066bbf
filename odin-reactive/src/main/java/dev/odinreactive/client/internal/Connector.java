package dev.odinreactive.client.internal;

import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.OdinException.Reason;
import dev.odinreactive.client.OdinException.Step;
import dev.odinreactive.protocol.HelloResult;
import dev.odinreactive.protocol.JoinResult;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.ProtocolException;
import dev.odinreactive.protocol.ProtocolLimits;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One join attempt: gateway → WebSocket → {@code Hello} → {@code JoinRoom}, bounded by the join
 * timeout, whose error names the step that stalled. On any failure or cancellation the
 * connection opened so far is dropped (no leak).
 */
public final class Connector {

    /** Client name sent in {@code Hello}. */
    public static final String CLIENT_NAME = "odin-reactive/0.1";

    /** What to join with. {@code position} is already scaled. {@code toString} hides the token. */
    public record JoinParams(String gatewayUrl, String token, String roomId, String userId, Bytes userData,
                             double[] position) {
        @Override
        public String toString() {
            return "JoinParams[gateway=" + gatewayUrl + ", room=" + roomId + ", user=" + userId + "]";
        }
    }

    /** A joined connection. */
    public record Session(ControlConnection connection, HelloResult hello, RoomState state, List<Integer> mediaIds,
                          Bytes sentUserData, double[] sentPosition) {
    }

    private Connector() {
    }

    public static Mono<Session> connect(ClientResources res, JoinParams p, RoomStats stats) {
        return connect(res, () -> p, stats);
    }

    /**
     * As above, reading {@code params} at the start (gateway, token) and again right before
     * {@code JoinRoom}, so a rejoin carries the latest desired user data and position.
     */
    public static Mono<Session> connect(ClientResources res, Supplier<JoinParams> params, RoomStats stats) {
        return connect(res, params, stats, res.options().joinTimeout());
    }

    /** As {@link #connect(ClientResources, Supplier, RoomStats)}, abandoning the attempt after {@code timeout}. */
    public static Mono<Session> connect(ClientResources res, Supplier<JoinParams> params, RoomStats stats,
                                        Duration timeout) {
        return Mono.defer(() -> {
            JoinParams p = params.get();
            AtomicReference<Step> step = new AtomicReference<>(Step.GATEWAY);
            AtomicReference<ControlConnection> opened = new AtomicReference<>();
            TokenPeek peek = TokenPeek.of(p.token());
            Mono<Gateway.Target> target = peek.direct()
                    ? Mono.fromCallable(() -> Gateway.direct(p.gatewayUrl(), p.token()))
                    : Gateway.connect(res::http, p.gatewayUrl(), p.token());
            return target
                    .flatMap(t -> {
                        step.set(Step.CONNECT);
                        return ControlConnection.open(res.http(t.controlUri()), t.controlUri(), stats,
                                        ProtocolLimits.DEFAULTS.maxServerFrameBytes())
                                .doOnNext(opened::set)
                                .flatMap(c -> {
                                    step.set(Step.HELLO);
                                    Map<String, Object> hello = new LinkedHashMap<>();
                                    hello.put("protocol", Methods.PROTOCOL_VERSION);
                                    hello.put("client", CLIENT_NAME);
                                    return c.request(Methods.HELLO, hello, timeout, Step.HELLO)
                                            .switchIfEmpty(Mono.error(() -> protocol("Hello answered nil")))
                                            .map(Connector::hello)
                                            .flatMap(h -> join(c, h, t.token(), params.get(), timeout, step));
                                });
                    })
                    .timeout(timeout, Mono.error(() -> new OdinException(Reason.TIMEOUT, null, step.get(),
                            "join did not complete within " + timeout.toMillis() + " ms: stalled at "
                                    + step.get() + " (" + describe(step.get()) + ")", null)))
                    .doOnError(e -> abort(opened, "join failed"))
                    .doOnCancel(() -> abort(opened, "join cancelled"));
        });
    }

    private static Mono<Session> join(ControlConnection c, HelloResult h, String token, JoinParams p,
                                      Duration timeout, AtomicReference<Step> step) {
        step.set(Step.JOIN);
        if (p.userData().size() > h.limits().maxUserDataBytes()) {
            return Mono.error(new OdinException(Reason.TOO_LARGE, null, Step.JOIN, "user data of " + p.userData().size()
                    + " bytes exceeds the server's max_user_data_bytes " + h.limits().maxUserDataBytes(), null));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("token", token);
        params.put("room_id", p.roomId());
        params.put("user_data", p.userData().toByteArray());
        params.put("position", List.of(p.position()[0], p.position()[1], p.position()[2]));
        return c.request(Methods.JOIN_ROOM, params, timeout, Step.JOIN)
                .switchIfEmpty(Mono.error(() -> protocol("JoinRoom answered nil")))
                .map(r -> {
                    JoinResult jr = JoinResult.fromWire(asMap(r));
                    RoomState state = ServerUpdates.state(jr, p.userId());
                    return new Session(c, h, state, jr.mediaIds(), p.userData(), p.position().clone());
                })
                .onErrorMap(ProtocolException.class, e -> protocol("bad JoinRoom result: " + e.getMessage()));
    }

    private static HelloResult hello(Object result) {
        HelloResult h;
        try {
            h = HelloResult.fromWire(asMap(result));
        } catch (ProtocolException e) {
            throw protocol("bad Hello result: " + e.getMessage());
        }
        if (h.protocol() != Methods.PROTOCOL_VERSION) {
            throw new OdinException(Reason.UNSUPPORTED_PROTOCOL, null, Step.HELLO,
                    "server speaks protocol " + h.protocol() + ", this client " + Methods.PROTOCOL_VERSION, null);
        }
        return h;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object result) {
        if (!(result instanceof Map)) {
            throw protocol("expected a map result, got " + (result == null ? "nil" : result.getClass().getSimpleName()));
        }
        return (Map<String, Object>) result;
    }

    private static OdinException protocol(String message) {
        return new OdinException(Reason.PROTOCOL_ERROR, null, null, message, null);
    }

    private static void abort(AtomicReference<ControlConnection> opened, String why) {
        ControlConnection c = opened.getAndSet(null);
        if (c != null) {
            c.abort(why);
        }
    }

    private static String describe(Step s) {
        switch (s) {
            case GATEWAY: return "gateway Connect";
            case CONNECT: return "TCP/WebSocket handshake";
            case HELLO: return "Hello version handshake";
            case JOIN: return "JoinRoom authentication";
            default: return "request";
        }
    }
}
