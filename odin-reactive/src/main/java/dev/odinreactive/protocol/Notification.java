package dev.odinreactive.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * Server → client event {@code [2, method, params]} (no answer). Method names are in
 * {@link Methods} ({@code RoomUpdated}, {@code PeerUpdated}, {@code MessageReceived},
 * {@code Error}).
 *
 * @param method notification name
 * @param params named fields (never null)
 */
public record Notification(String method, Map<String, Object> params) implements Frame {

    public Notification {
        Objects.requireNonNull(method, "method");
        params = params == null ? Map.of() : params;
    }
}
