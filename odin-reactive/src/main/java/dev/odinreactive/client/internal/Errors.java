package dev.odinreactive.client.internal;

import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.OdinException.Reason;
import dev.odinreactive.client.OdinException.Step;
import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.RpcError;

import java.util.EnumSet;
import java.util.Set;

/** Maps wire errors to {@link OdinException} and classifies them for reconnecting. */
public final class Errors {

    /** Failures worth another attempt after a backoff; everything else ends a reconnect. */
    private static final Set<Reason> TRANSIENT = EnumSet.of(Reason.TIMEOUT, Reason.CONNECTION_FAILED,
            Reason.CONNECTION_LOST, Reason.SERVER_FULL, Reason.ROOM_FULL, Reason.RATE_LIMITED,
            Reason.INTERNAL, Reason.SERVER_SHUTDOWN, Reason.IDLE_TIMEOUT, Reason.SLOW_CONSUMER);

    private Errors() {
    }

    /** The exception for a server's error answer to {@code method}. */
    public static OdinException fromRpc(RpcError error, String method, Step step) {
        return new OdinException(reason(error.code()), error.code().wireName(), step,
                method + " rejected by the server: " + error.code().wireName()
                        + (error.message().isEmpty() ? "" : " (" + error.message() + ")"), null);
    }

    /** Our reason for a wire code (same names; unknown codes give {@link Reason#UNKNOWN}). */
    public static Reason reason(ErrorCode code) {
        return Reason.fromCode(code.wireName());
    }

    /** Whether a reconnect should try again after {@code t}. */
    public static boolean isTransient(Throwable t) {
        return t instanceof OdinException e && TRANSIENT.contains(e.reason());
    }

    /** Whether {@code t} says the connection went away under a request. */
    public static boolean isConnectionLost(Throwable t) {
        return t instanceof OdinException e && e.reason() == Reason.CONNECTION_LOST;
    }

    public static OdinException connectionLost(String what) {
        return new OdinException(Reason.CONNECTION_LOST, null, Step.REQUEST,
                what + ": the connection was lost before the server answered", null);
    }

    public static OdinException closed() {
        return new OdinException(Reason.CLOSED, "the room is closed");
    }

    /** The reason for a {@code Left {reason}} notification. */
    public static Reason leftReason(String wire) {
        if (wire == null) {
            return Reason.UNKNOWN;
        }
        switch (wire) {
            case Methods.LEFT_KICKED: return Reason.KICKED;
            case Methods.LEFT_BANNED: return Reason.BANNED;
            case Methods.LEFT_ROOM_CLOSED: return Reason.ROOM_CLOSED;
            case Methods.LEFT_SERVER_SHUTDOWN: return Reason.SERVER_SHUTDOWN;
            case Methods.LEFT_IDLE_TIMEOUT: return Reason.IDLE_TIMEOUT;
            case Methods.LEFT_SLOW_CONSUMER: return Reason.SLOW_CONSUMER;
            default: return Reason.fromCode(wire);
        }
    }
}
