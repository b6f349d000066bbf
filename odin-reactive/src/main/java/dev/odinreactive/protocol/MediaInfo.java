package dev.odinreactive.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wire shape {@code Media = {id: u16, properties: map, paused: bool}} (media issue; peers carry
 * an empty list until then).
 *
 * @param id         media id from the owner's pool
 * @param properties free-form properties the owner gave in {@code StartMedia}
 * @param paused     whether the receiving peer paused this media on the server
 */
public record MediaInfo(int id, Map<String, Object> properties, boolean paused) {

    public MediaInfo {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** The wire map. */
    public Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", (long) id);
        m.put("properties", properties);
        m.put("paused", paused);
        return m;
    }

    /** Reads the wire map (unknown keys ignored). */
    public static MediaInfo fromWire(Map<String, Object> m) {
        Params p = Params.lenient(m);
        return new MediaInfo(p.u16("id"), p.optMap("properties", Map.of()), p.optBool("paused", false));
    }
}
