package dev.odinreactive.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wire shape {@code Peer = {id: u64, user_id: str, user_data: bin, medias: [Media...]}}.
 * Note: {@code userData} is an array, so {@link #equals} compares it by reference.
 *
 * @param id       peer id, unique on the server, never 0
 * @param userId   the token's {@code uid} (several peers may share one)
 * @param userData opaque bytes the peer set (empty when none)
 * @param medias   the peer's active medias (media issue)
 */
public record PeerInfo(long id, String userId, byte[] userData, List<MediaInfo> medias) {

    public PeerInfo {
        userData = userData == null ? new byte[0] : userData;
        medias = medias == null ? List.of() : List.copyOf(medias);
    }

    /** The wire map. */
    public Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("user_id", userId);
        m.put("user_data", userData);
        List<Object> ms = new ArrayList<>(medias.size());
        for (MediaInfo media : medias) {
            ms.add(media.toWire());
        }
        m.put("medias", ms);
        return m;
    }

    /** Reads the wire map (unknown keys ignored). */
    @SuppressWarnings("unchecked")
    public static PeerInfo fromWire(Map<String, Object> m) {
        Params p = Params.lenient(m);
        List<MediaInfo> medias = new ArrayList<>();
        if (p.has("medias")) {
            for (Object o : p.list("medias")) {
                if (!(o instanceof Map)) {
                    throw new ProtocolException(ErrorCode.INVALID_PARAMS, "medias entries must be maps");
                }
                medias.add(MediaInfo.fromWire((Map<String, Object>) o));
            }
        }
        return new PeerInfo(p.u64("id"), p.string("user_id"), p.optBytes("user_data", new byte[0]), medias);
    }
}
