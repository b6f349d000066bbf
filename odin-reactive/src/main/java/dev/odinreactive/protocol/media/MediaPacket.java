package dev.odinreactive.protocol.media;

import java.util.Objects;

/**
 * One media packet as the application sees it (after decryption): one Opus packet of one media
 * stream with ODIN's per-packet fields.
 *
 * @param mediaId   the stream's media id (u16, handed out by the server)
 * @param sequence  per-media sequence number (u32 as int; +1 per packet actually sent)
 * @param timestamp 90 kHz media clock (u32 as int; +1800 per 20 ms frame, also while silent)
 * @param endOfTalk set on the last packet of a talk spurt
 * @param payload   the Opus packet (not copied; do not modify after handing it over)
 */
public record MediaPacket(int mediaId, int sequence, int timestamp, boolean endOfTalk, byte[] payload) {

    public MediaPacket {
        if (mediaId < 0 || mediaId > 0xFFFF) {
            throw new IllegalArgumentException("media id must be a u16, got " + mediaId);
        }
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public String toString() {
        return "MediaPacket[mediaId=" + mediaId + ", sequence=" + Integer.toUnsignedString(sequence)
                + ", timestamp=" + Integer.toUnsignedString(timestamp) + ", endOfTalk=" + endOfTalk
                + ", payload=" + payload.length + " bytes]";
    }
}
