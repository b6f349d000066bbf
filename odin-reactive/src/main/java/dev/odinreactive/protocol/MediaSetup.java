package dev.odinreactive.protocol;

import dev.odinreactive.protocol.media.MediaKey;
import dev.odinreactive.protocol.media.MediaKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Result of {@code SetupMedia}: the media keys of this control connection and the relay's UDP
 * port (on the host of the control connection). Wire: {@code {uplink: {id: u32, key: bin},
 * downlink: {id: u32, key: bin}, udp_port: u16}}. Contains secrets: {@link #toString()} redacts.
 *
 * @param keys    the connection's keys (uplink id = media session id)
 * @param udpPort the relay's UDP port
 */
public record MediaSetup(MediaKeys keys, int udpPort) {

    public MediaSetup {
        Objects.requireNonNull(keys, "keys");
        if (udpPort < 1 || udpPort > 0xFFFF) {
            throw new IllegalArgumentException("udp_port must be 1..65535, got " + udpPort);
        }
    }

    /** The wire map. */
    public Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uplink", key(keys.uplink()));
        m.put("downlink", key(keys.downlink()));
        m.put("udp_port", (long) udpPort);
        return m;
    }

    /** Reads the wire map (unknown keys ignored); a malformed map is a {@link ProtocolException}. */
    public static MediaSetup fromWire(Map<String, Object> m) {
        Params p = Params.lenient(m);
        try {
            return new MediaSetup(new MediaKeys(key(p.map("uplink")), key(p.map("downlink"))),
                    (int) p.integer("udp_port", 1, 0xFFFF));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.INVALID_PARAMS, "bad SetupMedia result: " + e.getMessage());
        }
    }

    private static Map<String, Object> key(MediaKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", Integer.toUnsignedLong(k.id()));
        m.put("key", k.secret());
        return m;
    }

    private static MediaKey key(Map<String, Object> m) {
        Params p = Params.lenient(m);
        return new MediaKey((int) p.integer("id", 0, 0xFFFFFFFFL), p.bytes("key"));
    }

    @Override
    public String toString() {
        return "MediaSetup[session=" + Integer.toUnsignedString(keys.sessionId()) + ", udpPort=" + udpPort + ", keys=<redacted>]";
    }
}
