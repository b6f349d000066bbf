package dev.odinreactive.protocol;

import java.util.Objects;

/**
 * The error of a failed {@link Response}, on the wire {@code {code: str, message: str}}.
 *
 * @param code    machine-readable code (docs/protocol.md §5)
 * @param message human-readable explanation; never contains tokens or keys
 */
public record RpcError(ErrorCode code, String message) {

    public RpcError {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
    }

    /** This error as an exception (for failing a {@code Mono}). */
    public ProtocolException toException() {
        return new ProtocolException(code, message);
    }
}
