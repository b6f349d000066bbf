package dev.odinreactive.client;

import reactor.core.publisher.Mono;

/**
 * What to join with: own initial user data and position. Obtain from {@link OdinClient#room()};
 * not thread-safe; each {@link #join} uses the values set so far.
 */
public interface RoomSpec {

    /** Own peer user data sent with the join (default empty). */
    RoomSpec userData(byte[] userData);

    /** Initial position (default 0, 0, 0), scaled like {@link Room#updatePosition}. */
    RoomSpec position(double x, double y, double z);

    /** Multiplier for all coordinates (default 1.0); must be the same on all clients of a room. */
    RoomSpec positionScale(double scale);

    /** The room to join when the token allows several (default: the token's only {@code rid}). */
    RoomSpec roomId(String roomId);

    /**
     * Joins: gateway {@code Connect} (skipped for tokens with audience {@code sfu}, then
     * {@code gatewayUrl} is the server), WebSocket, {@code Hello}, {@code JoinRoom}. Cold; emits the
     * room once the server's snapshot arrived, on an event-loop thread.
     *
     * <p>Fails with {@link OdinException}: {@code TIMEOUT} after the client's join timeout with
     * {@link OdinException#step()} naming the stalled step; {@code CONNECTION_FAILED} if the
     * gateway/server cannot be reached; the server's rejection ({@code TOKEN_EXPIRED},
     * {@code ROOM_NOT_ALLOWED}, {@code BANNED}, ...); {@code INVALID_ARGUMENT} for a token that is
     * not a JWT or names no room. Cancelling releases the connection.
     *
     * @param gatewayUrl e.g. {@code http://127.0.0.1:4800} (an {@code https} URL gives {@code wss})
     * @param token      a room token; never logged
     */
    Mono<Room> join(String gatewayUrl, String token);

    /**
     * Like {@link #join(String, String)}, with a token <i>source</i> that is subscribed for the
     * join and again before every rejoin attempt, so a reconnect after the first token expired
     * uses a fresh one. Pass a cold {@code Mono}, e.g. {@code tokenGenerator.createToken(room, user)}
     * or a call to your backend. A source that fails counts as a transient failure
     * ({@code CONNECTION_FAILED}, step {@code GATEWAY}); one that completes empty as {@code INVALID_ARGUMENT}.
     */
    Mono<Room> join(String gatewayUrl, Mono<String> tokenSource);
}
