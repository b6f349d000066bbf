package dev.odinreactive.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a room reconnects after losing its connection: exponential backoff with jitter
 * ({@code Retry.backoff}) from {@code minBackoff}, capped at {@code maxBackoff}, at most
 * {@code maxAttempts} attempts, after which the room ends {@code DISCONNECTED/CONNECTION_LOST}.
 * Each attempt is abandoned (and retried) after 1 s, or the client's join timeout if shorter, so a
 * server that accepts a connection but never answers cannot hold a reconnect.
 *
 * <p>Only transient failures are retried (connection refused or lost, timeouts,
 * {@code server_full}, {@code room_full}, {@code rate_limited}, {@code internal}); a rejection
 * that cannot heal by waiting (expired token, ban, room closed) ends the room at once.
 *
 * @param maxAttempts 0 disables reconnecting
 */
public record ReconnectPolicy(long maxAttempts, Duration minBackoff, Duration maxBackoff) {

    /** 60 attempts, 100 ms doubling up to 1 s: back within about a second once the server is reachable. */
    public static final ReconnectPolicy DEFAULT =
            new ReconnectPolicy(60, Duration.ofMillis(100), Duration.ofSeconds(1));

    /** Never reconnect: a connection loss ends the room. */
    public static final ReconnectPolicy DISABLED =
            new ReconnectPolicy(0, Duration.ofMillis(100), Duration.ofSeconds(1));

    public ReconnectPolicy {
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 0 || minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("need maxAttempts >= 0 and 0 <= minBackoff <= maxBackoff");
        }
    }

    /** Whether reconnecting is enabled. */
    public boolean enabled() {
        return maxAttempts > 0;
    }
}
