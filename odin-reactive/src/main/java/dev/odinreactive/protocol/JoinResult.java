package dev.odinreactive.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Result of {@code JoinRoom}: the room snapshot as the joining peer sees it (culled), its own
 * peer id and its media id pool. Wire: {@code {room: {id, customer, user_data, peers}, own_peer_id,
 * media_ids}}.
 *
 * @param roomId       room id (as requested)
 * @param customer     the token's {@code cid} ("" when absent)
 * @param roomUserData room user data (set through the gateway's {@code RoomUpdate})
 * @param peers        the other peers visible to me, in join order
 * @param ownPeerId    my peer id (never 0)
 * @param mediaIds     ids I may use for {@code StartMedia}
 */
public record JoinResult(String roomId, String customer, byte[] roomUserData, List<PeerInfo> peers,
                         long ownPeerId, List<Integer> mediaIds) {

    public JoinResult {
        roomUserData = roomUserData == null ? new byte[0] : roomUserData;
        peers = List.copyOf(peers);
        mediaIds = List.copyOf(mediaIds);
    }

    /** The wire map. */
    public Map<String, Object> toWire() {
        Map<String, Object> room = new LinkedHashMap<>();
        room.put("id", roomId);
        room.put("customer", customer);
        room.put("user_data", roomUserData);
        List<Object> ps = new ArrayList<>(peers.size());
        for (PeerInfo p : peers) {
            ps.add(p.toWire());
        }
        room.put("peers", ps);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("room", room);
        m.put("own_peer_id", ownPeerId);
        List<Object> ids = new ArrayList<>(mediaIds.size());
        for (Integer id : mediaIds) {
            ids.add(id.longValue());
        }
        m.put("media_ids", ids);
        return m;
    }

    /** Reads the wire map (unknown keys ignored). */
    @SuppressWarnings("unchecked")
    public static JoinResult fromWire(Map<String, Object> m) {
        Params p = Params.lenient(m);
        Params room = Params.lenient(p.map("room"));
        List<PeerInfo> peers = new ArrayList<>();
        for (Object o : room.list("peers")) {
            if (!(o instanceof Map)) {
                throw new ProtocolException(ErrorCode.INVALID_PARAMS, "peers entries must be maps");
            }
            peers.add(PeerInfo.fromWire((Map<String, Object>) o));
        }
        List<Integer> mediaIds = new ArrayList<>();
        for (Object o : p.list("media_ids")) {
            if (!(o instanceof Long l) || l < 0 || l > 0xFFFF) {
                throw new ProtocolException(ErrorCode.INVALID_PARAMS, "media_ids entries must be u16");
            }
            mediaIds.add(l.intValue());
        }
        return new JoinResult(room.string("id"), room.optString("customer", ""),
                room.optBytes("user_data", new byte[0]), peers, p.u64("own_peer_id"), mediaIds);
    }
}
