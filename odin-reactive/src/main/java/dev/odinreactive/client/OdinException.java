package dev.odinreactive.client;

import java.util.Locale;
import java.util.Objects;

/**
 * The one exception type the client signals (through {@code Mono.error}/{@code Flux.error},
 * never thrown from a reactive method). {@link #reason()} says what went wrong in a form a
 * program can switch on; server rejections carry the wire error code (docs/protocol.md §5) in
 * {@link #serverCode()}; join timeouts name the {@link #step()} that stalled.
 *
 * <p>Never contains a token or key in its message.
 */
public class OdinException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an operation failed. Server codes map 1:1 (upper case); the rest are client-side. */
    public enum Reason {
        // --- client side ---
        /** A join step or a request did not complete in time; see {@link #step()}. */
        TIMEOUT,
        /** The gateway or server could not be reached (refused, DNS, TLS, HTTP error). */
        CONNECTION_FAILED,
        /** The connection dropped while the operation was in flight. */
        CONNECTION_LOST,
        /** The room is reconnecting; messages are not queued (state updates are, see Room). */
        NOT_CONNECTED,
        /** The room was closed or the client disposed. */
        CLOSED,
        /** An argument was rejected before sending (NaN coordinate, size over the server's limit...). */
        INVALID_ARGUMENT,
        /** A slow {@code events()} subscriber lost events (only with the ERROR overflow policy). */
        EVENTS_OVERFLOW,
        // --- server side (docs/protocol.md §5) ---
        PROTOCOL_ERROR, UNSUPPORTED_PROTOCOL, UNKNOWN_METHOD, INVALID_PARAMS, NOT_JOINED,
        ALREADY_JOINED, TOKEN_MALFORMED, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_EXPIRED,
        TOKEN_NOT_YET_VALID, TOKEN_WRONG_AUDIENCE, TOKEN_UNSIGNED, ROOM_NOT_ALLOWED, BANNED,
        ROOM_CLOSED, RATE_LIMITED, TOO_LARGE, ROOM_FULL, SERVER_FULL, UNKNOWN_PEER, INVALID_MEDIA, INTERNAL,
        // --- server removed us (RoomUpdated Left reason) ---
        /** Kicked by an operator ({@code Left {reason: kicked}}). */
        KICKED,
        /** The server is shutting down ({@code Left {reason: server_shutdown}}); the room reconnects. */
        SERVER_SHUTDOWN,
        /** The server dropped us for silence ({@code Left {reason: idle_timeout}}); the room reconnects. */
        IDLE_TIMEOUT,
        /** The server dropped us for not reading fast enough ({@code Left {reason: slow_consumer}}); the room reconnects. */
        SLOW_CONSUMER,
        /** A server code this client version does not know; see {@link #serverCode()}. */
        UNKNOWN;

        /** Maps a wire code such as {@code "token_expired"}; unknown codes give {@link #UNKNOWN}. */
        public static Reason fromCode(String code) {
            if (code == null) {
                return UNKNOWN;
            }
            try {
                return valueOf(code.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return UNKNOWN;
            }
        }
    }

    /** The steps of a join; a {@link Reason#TIMEOUT} during a join names the one that stalled. */
    public enum Step {
        /** JSON-RPC {@code Connect} to the gateway. */
        GATEWAY,
        /** TCP + WebSocket handshake with the server. */
        CONNECT,
        /** {@code Hello} version/capability handshake. */
        HELLO,
        /** {@code JoinRoom} with the token. */
        JOIN,
        /** A request on an established connection. */
        REQUEST
    }

    private final Reason reason;
    private final String serverCode;
    private final Step step;

    /** A client-side failure without server code or step. */
    public OdinException(Reason reason, String message) {
        this(reason, null, null, message, null);
    }

    /**
     * @param serverCode the wire error code, or {@code null}
     * @param step       the join step, or {@code null}
     */
    public OdinException(Reason reason, String serverCode, Step step, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.serverCode = serverCode;
        this.step = step;
    }

    /** What went wrong. */
    public Reason reason() {
        return reason;
    }

    /** The server's error code (e.g. {@code "rate_limited"}), or {@code null} for client-side failures. */
    public String serverCode() {
        return serverCode;
    }

    /** The join step that failed or stalled, or {@code null} when not known/applicable. */
    public Step step() {
        return step;
    }
}
