package dev.odinreactive.protocol;

import java.util.Objects;

/**
 * A typed control-channel failure: bad input decoded locally, or an error the other side sent.
 * {@link #code()} says what went wrong; the message never contains tokens or keys.
 */
public class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ProtocolException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** What went wrong. */
    public ErrorCode code() {
        return code;
    }

    /** This failure as the error of a response. */
    public RpcError toRpcError() {
        return new RpcError(code, getMessage());
    }

    @Override
    public String toString() {
        return "ProtocolException[" + code.wireName() + "]: " + getMessage();
    }
}
