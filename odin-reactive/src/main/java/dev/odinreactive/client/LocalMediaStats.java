package dev.odinreactive.client;

/**
 * Counters of one {@link LocalMedia} (a snapshot).
 *
 * @param chunksIn       chunks taken from the source
 * @param chunksDropped  chunks dropped because the audio thread was behind (bounded hand-off of
 *                       8 chunks; live audio never queues without bound)
 * @param frames         20 ms frames processed (APM + talk decision)
 * @param packetsSent    Opus packets handed to the media transport
 * @param packetsNotSent packets lost before the network: not connected (reconnecting), or the
 *                       transport's send queue was full
 * @param talkSpurts     times the talk decision turned on
 */
public record LocalMediaStats(long chunksIn, long chunksDropped, long frames, long packetsSent,
                              long packetsNotSent, long talkSpurts) {
}
