package dev.odinreactive.audio.jitter;

import dev.odinreactive.audio.AudioFormat;

/**
 * Jitter buffer settings; {@link #defaults()} mirror ODIN: start at 40 ms (base jitter of two
 * packets), shrink to 20 ms on a clean network, never exceed 200 ms. Frames are 20 ms.
 *
 * @param format             decoded output format (48 kHz mono for ODIN; any Opus rate, 1–2 channels)
 * @param baseDelayFrames    delay at the start of a stream, in 20 ms frames (2 = 40 ms)
 * @param minDelayFrames     lowest delay on a clean network (1 = 20 ms)
 * @param maxDelayFrames     highest delay; beyond it the buffer skips frames to catch up (10 = 200 ms)
 * @param windowFrames       how far ahead of playout a packet may be before it is "too early" (100 = 2 s)
 * @param adaptPackets       packets observed before the delay may shrink by one frame (25 = 0.5 s)
 * @param concealFrames      frames of Opus PLC after the last packet before playing plain silence
 * @param resetAfter         consecutive too-early/too-late packets that make the buffer reset
 *                           and re-anchor on the new timeline
 * @param outputBufferFrames frames kept for a slow subscriber; beyond, the oldest are dropped
 *                           (counted in {@link JitterBuffer#framesDroppedByBackpressure()})
 */
public record JitterConfig(AudioFormat format, int baseDelayFrames, int minDelayFrames, int maxDelayFrames,
                           int windowFrames, int adaptPackets, int concealFrames, int resetAfter,
                           int outputBufferFrames) {

    /** Validates the relations between the fields. */
    public JitterConfig {
        if (format == null) {
            throw new IllegalArgumentException("format is required");
        }
        if (minDelayFrames < 1 || baseDelayFrames < minDelayFrames || maxDelayFrames < baseDelayFrames
                || windowFrames <= maxDelayFrames || windowFrames > 1000) {
            throw new IllegalArgumentException("need 1 <= minDelay <= baseDelay <= maxDelay < window <= 1000 frames");
        }
        if (adaptPackets < 1 || concealFrames < 0 || resetAfter < 1 || outputBufferFrames < 1) {
            throw new IllegalArgumentException("adaptPackets, resetAfter, outputBufferFrames must be positive");
        }
    }

    /** ODIN-like defaults at 48 kHz mono. */
    public static JitterConfig defaults() {
        return new JitterConfig(AudioFormat.OPUS_MONO, 2, 1, 10, 100, 25, 5, 3, 8);
    }

    /** Copy with another output format. */
    public JitterConfig withFormat(AudioFormat f) {
        return new JitterConfig(f, baseDelayFrames, minDelayFrames, maxDelayFrames, windowFrames, adaptPackets,
                concealFrames, resetAfter, outputBufferFrames);
    }

    /** Copy with other delay bounds (frames of 20 ms). */
    public JitterConfig withDelays(int base, int min, int max) {
        return new JitterConfig(format, base, min, max, windowFrames, adaptPackets, concealFrames, resetAfter,
                outputBufferFrames);
    }
}
