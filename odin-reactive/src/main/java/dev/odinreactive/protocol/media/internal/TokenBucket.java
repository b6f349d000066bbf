package dev.odinreactive.protocol.media.internal;

/**
 * Token bucket in integer nanoseconds (ODIN's {@code incoming_media_packets = {rate 50, capacity
 * 100}}): starts full, refills continuously at {@code rate} tokens per second up to
 * {@code capacity}. The caller passes the clock, so tests use virtual time. <b>Not thread-safe</b>.
 */
public final class TokenBucket {

    private final long nanosPerToken;
    private final long capacityNanos;
    private long level;
    private long last;

    public TokenBucket(int ratePerSecond, int capacity, long nowNanos) {
        if (ratePerSecond <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("rate and capacity must be positive: " + ratePerSecond + ", " + capacity);
        }
        this.nanosPerToken = 1_000_000_000L / ratePerSecond;
        this.capacityNanos = nanosPerToken * capacity;
        this.level = capacityNanos;
        this.last = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            last = nowNanos;
            level = Math.min(capacityNanos, level + Math.min(elapsed, capacityNanos));
        }
        if (level >= nanosPerToken) {
            level -= nanosPerToken;
            return true;
        }
        return false;
    }
}
