package dev.odinreactive.client.internal;

import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.OdinException.Reason;
import dev.odinreactive.client.OdinException.Step;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomSpec;
import reactor.core.publisher.Mono;

import java.util.Objects;

/** Collects the join options of {@link RoomSpec}. */
public final class DefaultRoomSpec implements RoomSpec {

    private final ClientResources res;
    private Bytes userData = Bytes.EMPTY;
    private double x;
    private double y;
    private double z;
    private double scale = 1.0;
    private String roomId;

    public DefaultRoomSpec(ClientResources res) {
        this.res = res;
    }

    @Override
    public RoomSpec userData(byte[] data) {
        this.userData = Bytes.of(data);
        return this;
    }

    @Override
    public RoomSpec position(double x, double y, double z) {
        this.x = x;
        this.y = y;
        this.z = z;
        return this;
    }

    @Override
    public RoomSpec positionScale(double scale) {
        this.scale = scale;
        return this;
    }

    @Override
    public RoomSpec roomId(String roomId) {
        this.roomId = Objects.requireNonNull(roomId, "roomId");
        return this;
    }

    @Override
    public Mono<Room> join(String gatewayUrl, String token) {
        Objects.requireNonNull(token, "token");
        return join(gatewayUrl, Mono.just(token));
    }

    @Override
    public Mono<Room> join(String gatewayUrl, Mono<String> tokenSource) {
        Objects.requireNonNull(gatewayUrl, "gatewayUrl");
        Mono<String> tokens = tokens(Objects.requireNonNull(tokenSource, "tokenSource"));
        Bytes data = userData;
        double s = scale;
        double[] position = {x * s, y * s, z * s};
        String wantedRoom = roomId;
        return tokens.flatMap(token -> {
            if (!(s > 0) || !Double.isFinite(s)) {
                return Mono.error(new OdinException(Reason.INVALID_ARGUMENT, "position scale must be finite and > 0: " + s));
            }
            for (double v : position) {
                if (!Double.isFinite(v)) {
                    return Mono.error(new OdinException(Reason.INVALID_ARGUMENT, "position must be finite"));
                }
            }
            TokenPeek peek = TokenPeek.of(token);
            String room = wantedRoom;
            if (room == null) {
                if (peek.roomIds().size() != 1) {
                    return Mono.error(new OdinException(Reason.INVALID_ARGUMENT, null, Step.JOIN, peek.roomIds().isEmpty()
                            ? "the token names no room (rid)"
                            : "the token allows " + peek.roomIds().size() + " rooms; choose one with roomId()", null));
                }
                room = peek.roomIds().get(0);
            }
            return DefaultRoom.join(res, new Connector.JoinParams(gatewayUrl, token, room, peek.userId(), data, position),
                    tokens, s);
        });
    }

    /** The token source with typed errors: a failing source is transient (retried on rejoin). */
    static Mono<String> tokens(Mono<String> source) {
        return source
                .switchIfEmpty(Mono.error(() -> new OdinException(Reason.INVALID_ARGUMENT, null, Step.GATEWAY,
                        "the token source completed without a token", null)))
                .onErrorMap(e -> !(e instanceof OdinException), e -> new OdinException(Reason.CONNECTION_FAILED, null,
                        Step.GATEWAY, "the token source failed: " + e.getClass().getSimpleName(), e));
    }
}
