package dev.odinreactive.audio.jitter;

/**
 * One received voice packet of a remote stream, as ODIN's datagrams carry it.
 *
 * @param sequence  uint32 sequence number, +1 per packet actually sent (wraps)
 * @param timestamp uint32 timestamp on the 90 kHz clock, +1800 per 20 ms frame, advancing
 *                  also while the sender is silent (wraps)
 * @param payload   one Opus packet of 20 ms (not copied)
 */
public record MediaPacket(long sequence, long timestamp, byte[] payload) {
    /** 90 kHz ticks per 20 ms frame. */
    public static final int TICKS_PER_FRAME = 1800;
}
