package dev.odinreactive.client.internal;

import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.Peer;
import dev.odinreactive.client.RoomEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable view of a joined room: what the server last told us. Peers keep the order in which
 * they became visible; the own peer is never among them.
 */
public record RoomState(String roomId, String customer, long ownPeerId, String ownUserId,
                        Bytes roomUserData, Map<Long, Peer> peers) {

    public RoomState {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(ownUserId, "ownUserId");
        Objects.requireNonNull(roomUserData, "roomUserData");
        LinkedHashMap<Long, Peer> copy = new LinkedHashMap<>();
        for (Peer p : peers.values()) {
            if (p.id() != ownPeerId) {
                copy.put(p.id(), p);
            }
        }
        peers = Collections.unmodifiableMap(copy);
    }

    /** Builds a state from a peer list (own peer and duplicate ids dropped, first one wins). */
    public static RoomState of(String roomId, String customer, long ownPeerId, String ownUserId,
                               Bytes roomUserData, Iterable<Peer> peers) {
        LinkedHashMap<Long, Peer> map = new LinkedHashMap<>();
        for (Peer p : peers) {
            map.putIfAbsent(p.id(), p);
        }
        return new RoomState(roomId, customer, ownPeerId, ownUserId, roomUserData, map);
    }

    /** The snapshot event a (late) subscriber starts with. */
    public RoomEvent.Joined toJoined() {
        return new RoomEvent.Joined(roomId, customer, ownPeerId, ownUserId, roomUserData,
                new ArrayList<>(peers.values()));
    }

    RoomState withPeers(Map<Long, Peer> newPeers) {
        return new RoomState(roomId, customer, ownPeerId, ownUserId, roomUserData, newPeers);
    }

    RoomState withRoomUserData(Bytes data) {
        return new RoomState(roomId, customer, ownPeerId, ownUserId, data, peers);
    }
}
