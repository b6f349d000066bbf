package dev.odinreactive.audio.jitter;

/**
 * One received voice packet of a remote stream, as ODIN's datagrams carry it.
 *
 * @param sequence  uint32 sequence number, +1 per packet actually sent (wraps)
 * @param timestamp uint32 timestamp on the 90 kHz clock, +1800 per 20 ms frame, advancing
 *                  also while the sender is silent (wraps)
 * @param payload   one Opus packet of 20 ms (not copied); may be empty only on an end-of-talk
 *                  packet (then it plays as 20 ms of silence)
 * @param endOfTalk the last packet of a talk spurt: after it plays, the buffer plays silence (no
 *                  concealment) and {@link JitterBuffer#isTalking()} turns false
 */
public record MediaPacket(long sequence, long timestamp, byte[] payload, boolean endOfTalk) {
    /** 90 kHz ticks per 20 ms frame. */
    public static final int TICKS_PER_FRAME = 1800;

    /** A packet in the middle of a talk spurt. */
    public MediaPacket(long sequence, long timestamp, byte[] payload) {
        this(sequence, timestamp, payload, false);
    }
}
