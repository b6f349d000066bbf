package dev.odinreactive.server.internal;

import static dev.odinreactive.protocol.Methods.*;

import dev.odinreactive.protocol.Notification;
import dev.odinreactive.protocol.internal.MsgpackCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encodes the server → client notifications once, for fan-out to many connections. */
final class Notifications {

    private Notifications() {
    }

    static byte[] peerJoined(Peer p) {
        return roomUpdated(Map.of("kind", KIND_PEER_JOINED, "peer", p.info().toWire()));
    }

    static byte[] peerLeft(long peerId) {
        return roomUpdated(Map.of("kind", KIND_PEER_LEFT, "peer_id", peerId));
    }

    static byte[] roomUserDataChanged(byte[] userData) {
        return roomUpdated(Map.of("kind", KIND_USER_DATA_CHANGED, "user_data", userData));
    }

    static byte[] left(String reason) {
        return roomUpdated(Map.of("kind", KIND_LEFT, "reason", reason));
    }

    static byte[] peerUserDataChanged(long peerId, byte[] userData) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", KIND_USER_DATA_CHANGED);
        m.put("peer_id", peerId);
        m.put("user_data", userData);
        return MsgpackCodec.encode(new Notification(PEER_UPDATED, m));
    }

    static byte[] message(long senderPeerId, byte[] message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sender_peer_id", senderPeerId);
        m.put("message", message);
        return MsgpackCodec.encode(new Notification(MESSAGE_RECEIVED, m));
    }

    static byte[] error(String code, String message) {
        return MsgpackCodec.encode(new Notification(ERROR, Map.of("code", code, "message", message)));
    }

    private static byte[] roomUpdated(Map<String, Object> update) {
        return MsgpackCodec.encode(new Notification(ROOM_UPDATED, Map.of("updates", List.of(update))));
    }
}
