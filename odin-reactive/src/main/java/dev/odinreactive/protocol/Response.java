package dev.odinreactive.protocol;

import java.util.Objects;

/**
 * Server → client answer {@code [1, id, error, result]} to the {@link Request} with the same id.
 * Exactly one outcome: {@code error == null} means success (the result may still be null).
 *
 * @param id     the request id
 * @param error  null on success, else the typed failure
 * @param result the method's result on success (null for methods that answer {@code nil})
 */
public record Response(long id, RpcError error, Object result) implements Frame {

    public Response {
        if (error != null && result != null) {
            throw new IllegalArgumentException("a response carries an error or a result, not both");
        }
    }

    /** A successful response. */
    public static Response ok(long id, Object result) {
        return new Response(id, null, result);
    }

    /** A failed response. */
    public static Response error(long id, ErrorCode code, String message) {
        return new Response(id, new RpcError(Objects.requireNonNull(code), message), null);
    }

    /** True when {@link #error()} is null. */
    public boolean isSuccess() {
        return error == null;
    }
}
