package dev.odinreactive.client.internal;

import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.Peer;
import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.JoinResult;
import dev.odinreactive.protocol.MediaInfo;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.Notification;
import dev.odinreactive.protocol.Params;
import dev.odinreactive.protocol.PeerInfo;
import dev.odinreactive.protocol.ProtocolException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns wire notifications (docs/protocol.md §4) into {@link ServerUpdate}s. Lenient about
 * unknown keys and unknown kinds (skipped, for forward compatibility); strict about the types
 * of the fields it uses ({@link ProtocolException} {@code invalid_params}).
 */
public final class ServerUpdates {

    private ServerUpdates() {
    }

    @SuppressWarnings("unchecked")
    public static List<ServerUpdate> parse(Notification n) {
        Params p = Params.lenient(n.params());
        List<ServerUpdate> out = new ArrayList<>();
        switch (n.method()) {
            case Methods.ROOM_UPDATED:
                for (Object o : p.list("updates")) {
                    if (!(o instanceof Map)) {
                        throw new ProtocolException(ErrorCode.INVALID_PARAMS, "RoomUpdated.updates entries must be maps");
                    }
                    ServerUpdate u = roomUpdate(Params.lenient((Map<String, Object>) o));
                    if (u != null) {
                        out.add(u);
                    }
                }
                break;
            case Methods.PEER_UPDATED:
                String kind = p.string("kind");
                if (Methods.KIND_USER_DATA_CHANGED.equals(kind)) {
                    out.add(new ServerUpdate.PeerUserDataChanged(p.u64("peer_id"), Bytes.of(p.optBytes("user_data", new byte[0]))));
                } else if (Methods.KIND_MEDIA_STARTED.equals(kind)) {
                    MediaInfo m = MediaInfo.fromWire(p.map("media"));
                    out.add(new ServerUpdate.MediaStarted(p.u64("peer_id"), m.id()));
                } else if (Methods.KIND_MEDIA_STOPPED.equals(kind)) {
                    out.add(new ServerUpdate.MediaStopped(p.u64("peer_id"), p.u16("media_id")));
                }
                break;
            case Methods.MESSAGE_RECEIVED:
                out.add(new ServerUpdate.MessageReceived(p.u64("sender_peer_id"), Bytes.of(p.bytes("message"))));
                break;
            default:
                break;
        }
        return out;
    }

    private static ServerUpdate roomUpdate(Params u) {
        switch (u.string("kind")) {
            case Methods.KIND_PEER_JOINED:
                return new ServerUpdate.PeerJoined(peer(PeerInfo.fromWire(u.map("peer"))));
            case Methods.KIND_PEER_LEFT:
                return new ServerUpdate.PeerLeft(u.u64("peer_id"));
            case Methods.KIND_USER_DATA_CHANGED:
                return new ServerUpdate.RoomUserDataChanged(Bytes.of(u.optBytes("user_data", new byte[0])));
            case Methods.KIND_LEFT:
                return new ServerUpdate.Left(u.optString("reason", ""));
            default:
                return null;
        }
    }

    /** Our peer value for a wire peer. */
    public static Peer peer(PeerInfo info) {
        return new Peer(info.id(), info.userId(), Bytes.of(info.userData()));
    }

    /** The state a join result describes. */
    public static RoomState state(JoinResult r, String ownUserId) {
        List<Peer> peers = new ArrayList<>(r.peers().size());
        for (PeerInfo info : r.peers()) {
            peers.add(peer(info));
        }
        return RoomState.of(r.roomId(), r.customer(), r.ownPeerId(), ownUserId, Bytes.of(r.roomUserData()), peers);
    }
}
