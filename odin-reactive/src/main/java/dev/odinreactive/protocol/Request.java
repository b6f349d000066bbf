package dev.odinreactive.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * Client → server call {@code [0, id, method, params]}; the server answers with a
 * {@link Response} carrying the same {@code id}.
 *
 * @param id     request id chosen by the client, 0..2<sup>32</sup>-1 (uint32)
 * @param method method name, see {@link Methods}
 * @param params named parameters (never null; empty map when there are none)
 */
public record Request(long id, String method, Map<String, Object> params) implements Frame {

    /** Largest request id (uint32). */
    public static final long MAX_ID = 0xFFFF_FFFFL;

    public Request {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException("request id out of uint32 range: " + id);
        }
        Objects.requireNonNull(method, "method");
        params = params == null ? Map.of() : params;
    }
}
