package dev.odinreactive.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Size and rate limits of the control channel, reported in the {@code Hello} result
 * ({@code limits}) so that clients never hit a hidden limit (docs/protocol.md §6).
 *
 * @param maxFrameBytes       largest client → server frame; larger ones are answered {@code too_large}
 * @param maxServerFrameBytes largest server → client frame (a room snapshot); clients must accept frames of this size
 * @param maxUserDataBytes    largest peer or room user data
 * @param maxMessageBytes     largest {@code SendMessage.message}
 * @param maxMessageTargets   most entries in {@code SendMessage.target_peer_ids}
 * @param maxRoomIdBytes      longest room id (UTF-8 bytes)
 * @param commandRate         commands per second a peer may send on average (token bucket rate)
 * @param commandBurst        token bucket capacity (burst)
 * @param medias              size of each peer's media id pool ({@code JoinRoom.media_ids})
 */
public record ProtocolLimits(int maxFrameBytes, int maxServerFrameBytes, int maxUserDataBytes,
                             int maxMessageBytes, int maxMessageTargets, int maxRoomIdBytes,
                             int commandRate, int commandBurst, int medias) {

    /** Defaults of protocol version 1. */
    public static final ProtocolLimits DEFAULTS =
            new ProtocolLimits(64 * 1024, 16 * 1024 * 1024, 4 * 1024, 32 * 1024, 256, 256, 10, 50, 5);

    /** Fixed by the codec: deepest nesting of arrays/maps accepted in a frame. */
    public static final int MAX_NESTING_DEPTH = 16;

    public ProtocolLimits {
        positive(maxFrameBytes, "maxFrameBytes");
        positive(maxServerFrameBytes, "maxServerFrameBytes");
        positive(maxUserDataBytes, "maxUserDataBytes");
        positive(maxMessageBytes, "maxMessageBytes");
        positive(maxMessageTargets, "maxMessageTargets");
        positive(maxRoomIdBytes, "maxRoomIdBytes");
        positive(commandRate, "commandRate");
        positive(commandBurst, "commandBurst");
        if (medias < 0 || medias > 0xFFFF) {
            throw new IllegalArgumentException("medias out of range: " + medias);
        }
        if (maxUserDataBytes + 1024 > maxFrameBytes || maxMessageBytes + 1024 + 9L * maxMessageTargets > maxFrameBytes) {
            throw new IllegalArgumentException("maxFrameBytes too small for the user data/message limits");
        }
    }

    private static void positive(int v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0: " + v);
        }
    }

    /** The wire form: a map with snake_case keys. */
    public Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_frame_bytes", (long) maxFrameBytes);
        m.put("max_server_frame_bytes", (long) maxServerFrameBytes);
        m.put("max_user_data_bytes", (long) maxUserDataBytes);
        m.put("max_message_bytes", (long) maxMessageBytes);
        m.put("max_message_targets", (long) maxMessageTargets);
        m.put("max_room_id_bytes", (long) maxRoomIdBytes);
        m.put("command_rate", (long) commandRate);
        m.put("command_burst", (long) commandBurst);
        m.put("medias", (long) medias);
        return m;
    }

    /**
     * Reads the wire form; keys this version does not know are ignored here (forward
     * compatibility for clients), missing keys take the {@link #DEFAULTS}.
     *
     * @throws ProtocolException {@code invalid_params} for a value of the wrong type
     */
    public static ProtocolLimits fromWire(Map<String, Object> m) {
        Params p = Params.lenient(m);
        ProtocolLimits d = DEFAULTS;
        try {
            return new ProtocolLimits(
                    p.optInt("max_frame_bytes", d.maxFrameBytes()),
                    p.optInt("max_server_frame_bytes", d.maxServerFrameBytes()),
                    p.optInt("max_user_data_bytes", d.maxUserDataBytes()),
                    p.optInt("max_message_bytes", d.maxMessageBytes()),
                    p.optInt("max_message_targets", d.maxMessageTargets()),
                    p.optInt("max_room_id_bytes", d.maxRoomIdBytes()),
                    p.optInt("command_rate", d.commandRate()),
                    p.optInt("command_burst", d.commandBurst()),
                    p.optInt("medias", d.medias()));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.INVALID_PARAMS, "bad limits: " + e.getMessage());
        }
    }
}
