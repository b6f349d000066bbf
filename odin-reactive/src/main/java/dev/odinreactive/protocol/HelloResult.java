package dev.odinreactive.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Result of {@code Hello}: wire {@code {protocol, server, limits, ping_interval_ms, idle_timeout_ms}}.
 *
 * @param protocol       protocol version the server will speak on this connection
 * @param server         server name and version, e.g. {@code odin-reactive-server/0.1.0}
 * @param limits         every size and rate limit the server enforces
 * @param pingIntervalMs how often the server sends WebSocket pings
 * @param idleTimeoutMs  a connection silent for this long (no frame, no pong) is closed
 */
public record HelloResult(int protocol, String server, ProtocolLimits limits, long pingIntervalMs, long idleTimeoutMs) {

    /** The wire map. */
    public Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", (long) protocol);
        m.put("server", server);
        m.put("limits", limits.toWire());
        m.put("ping_interval_ms", pingIntervalMs);
        m.put("idle_timeout_ms", idleTimeoutMs);
        return m;
    }

    /** Reads the wire map (unknown keys ignored). */
    public static HelloResult fromWire(Map<String, Object> m) {
        Params p = Params.lenient(m);
        return new HelloResult((int) p.integer("protocol", 0, Integer.MAX_VALUE), p.optString("server", ""),
                ProtocolLimits.fromWire(p.optMap("limits", Map.of())),
                p.has("ping_interval_ms") ? p.u64("ping_interval_ms") : 0,
                p.has("idle_timeout_ms") ? p.u64("idle_timeout_ms") : 0);
    }
}
