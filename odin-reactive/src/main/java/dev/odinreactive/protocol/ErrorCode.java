package dev.odinreactive.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Stable machine-readable error codes of the control channel (docs/protocol.md §5). Each
 * constant has a lower-case wire name, e.g. {@code token_expired}.
 */
public enum ErrorCode {
    /** Frame is not well-formed MessagePack-RPC, or a request came in the wrong state. */
    PROTOCOL_ERROR,
    /** {@code Hello.protocol} is a version the server does not speak. */
    UNSUPPORTED_PROTOCOL,
    /** The method name is unknown (or reserved for a later protocol issue). */
    UNKNOWN_METHOD,
    /** Params are missing, of the wrong type, out of range, or contain unknown keys. */
    INVALID_PARAMS,
    /** The method needs a joined room. */
    NOT_JOINED,
    /** {@code JoinRoom} was already called on this connection. */
    ALREADY_JOINED,
    /** Token is not a well-formed JWT or lacks required claims ({@code uid}, {@code rid}). */
    TOKEN_MALFORMED,
    /** Token signature does not verify. */
    TOKEN_BAD_SIGNATURE,
    /** Token {@code kid} names no configured key. */
    TOKEN_UNKNOWN_KEY,
    /** Token {@code exp} is in the past (beyond the leeway). */
    TOKEN_EXPIRED,
    /** Token {@code nbf} is in the future (beyond the leeway). */
    TOKEN_NOT_YET_VALID,
    /** Token {@code aud} is neither absent nor {@code sfu}. */
    TOKEN_WRONG_AUDIENCE,
    /** Token has {@code alg: none} and the server does not allow unsigned tokens. */
    TOKEN_UNSIGNED,
    /** The token does not grant the requested room (or method, on the gateway). */
    ROOM_NOT_ALLOWED,
    /** The user is banned from this room. */
    BANNED,
    /** The room was closed by the operator and cannot be joined yet. */
    ROOM_CLOSED,
    /** The peer exceeded its command rate (token bucket); the connection is kept. */
    RATE_LIMITED,
    /** A frame, user data or message exceeds a documented size limit. */
    TOO_LARGE,
    /** The room cannot take another peer. */
    ROOM_FULL,
    /** The server reached {@code max_clients}, {@code max_rooms} or {@code max_peers}. */
    SERVER_FULL,
    /** A target peer id is not in the room (or, on the gateway, the room does not exist). */
    UNKNOWN_PEER,
    /** A media id outside the peer's pool or in the wrong state (media issue). */
    INVALID_MEDIA,
    /** Unexpected server failure; the connection is kept. */
    INTERNAL,
    /** A code this client version does not know (forward compatibility; never sent). */
    UNKNOWN;

    private static final Map<String, ErrorCode> BY_WIRE = new HashMap<>();

    static {
        for (ErrorCode c : values()) {
            BY_WIRE.put(c.wireName(), c);
        }
    }

    /** The lower-case name sent on the wire. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The code for a wire name; {@link #UNKNOWN} for names this version does not know. */
    public static ErrorCode fromWire(String wireName) {
        ErrorCode code = wireName == null ? null : BY_WIRE.get(wireName);
        return code == null ? UNKNOWN : code;
    }
}
