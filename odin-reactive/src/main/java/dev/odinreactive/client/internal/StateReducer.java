package dev.odinreactive.client.internal;

import dev.odinreactive.client.Peer;
import dev.odinreactive.client.RoomEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * Pure functions that move a {@link RoomState} forward and say which {@link RoomEvent}s the
 * change produces. They are the single source of the "no duplicates, no ghosts" guarantee:
 * <ul>
 *   <li>a {@code PeerJoined} for a peer we already see is not repeated (only a changed user
 *       data shows up, as {@code PeerUserDataChanged}); a known id with another user id
 *       is a different peer ({@code PeerLeft} then {@code PeerJoined});</li>
 *   <li>{@code PeerLeft}/{@code PeerUserDataChanged} for a peer we do not see are ignored;</li>
 *   <li>updates about the own peer are ignored (it is not in {@code peers});</li>
 *   <li>after a rejoin, {@link #reconcile} turns the difference between the old and the new
 *       snapshot into events.</li>
 * </ul>
 */
public final class StateReducer {

    private StateReducer() {
    }

    /** A new state and the events that describe the step (possibly none). */
    public record Step(RoomState state, List<RoomEvent> events) {
        public Step {
            Objects.requireNonNull(state, "state");
            events = List.copyOf(events);
        }
    }

    /** Applies one server update. {@link ServerUpdate.Left} does not change the state (the caller handles it). */
    public static Step apply(RoomState state, ServerUpdate update) {
        if (update instanceof ServerUpdate.PeerJoined pj) {
            Peer peer = pj.peer();
            if (peer.id() == state.ownPeerId()) {
                return unchanged(state);
            }
            Peer known = state.peers().get(peer.id());
            LinkedHashMap<Long, Peer> peers = new LinkedHashMap<>(state.peers());
            peers.put(peer.id(), peer);
            if (known == null) {
                return new Step(state.withPeers(peers), List.of(new RoomEvent.PeerJoined(peer)));
            }
            if (!known.userId().equals(peer.userId())) { // same id, another peer: never merge them
                peers.remove(peer.id());
                peers.put(peer.id(), peer);
                return new Step(state.withPeers(peers), List.of(
                        new RoomEvent.PeerLeft(known.id(), known.userId()), new RoomEvent.PeerJoined(peer)));
            }
            if (known.userData().equals(peer.userData())) {
                return unchanged(state);
            }
            return new Step(state.withPeers(peers),
                    List.of(new RoomEvent.PeerUserDataChanged(peer.id(), peer.userData())));
        }
        if (update instanceof ServerUpdate.PeerLeft pl) {
            Peer known = state.peers().get(pl.peerId());
            if (known == null) {
                return unchanged(state);
            }
            LinkedHashMap<Long, Peer> peers = new LinkedHashMap<>(state.peers());
            peers.remove(pl.peerId());
            return new Step(state.withPeers(peers), List.of(new RoomEvent.PeerLeft(known.id(), known.userId())));
        }
        if (update instanceof ServerUpdate.PeerUserDataChanged pu) {
            Peer known = state.peers().get(pu.peerId());
            if (known == null || known.userData().equals(pu.userData())) {
                return unchanged(state);
            }
            LinkedHashMap<Long, Peer> peers = new LinkedHashMap<>(state.peers());
            peers.put(known.id(), known.withUserData(pu.userData()));
            return new Step(state.withPeers(peers), List.of(new RoomEvent.PeerUserDataChanged(known.id(), pu.userData())));
        }
        if (update instanceof ServerUpdate.RoomUserDataChanged ru) {
            if (state.roomUserData().equals(ru.userData())) {
                return unchanged(state);
            }
            return new Step(state.withRoomUserData(ru.userData()), List.of(new RoomEvent.RoomUserDataChanged(ru.userData())));
        }
        if (update instanceof ServerUpdate.MessageReceived m) {
            return new Step(state, List.of(new RoomEvent.MessageReceived(m.senderPeerId(), m.message())));
        }
        if (update instanceof ServerUpdate.MediaStarted ms) {
            return state.peers().containsKey(ms.peerId())
                    ? new Step(state, List.of(new RoomEvent.MediaAdded(ms.peerId(), ms.mediaId(), null)))
                    : unchanged(state);
        }
        if (update instanceof ServerUpdate.MediaStopped ms) {
            return state.peers().containsKey(ms.peerId())
                    ? new Step(state, List.of(new RoomEvent.MediaRemoved(ms.peerId(), ms.mediaId())))
                    : unchanged(state);
        }
        return unchanged(state); // Left: handled by the room's connection logic
    }

    /**
     * The events that turn a subscriber's view of {@code before} into {@code after} (a fresh
     * snapshot from a rejoin): {@code PeerLeft} for peers gone (in their old order), then
     * {@code PeerUserDataChanged} for peers still there with other data, then {@code PeerJoined}
     * for new peers (in the new order), then {@code RoomUserDataChanged} if the room data changed.
     */
    public static List<RoomEvent> reconcile(RoomState before, RoomState after) {
        List<RoomEvent> events = new ArrayList<>();
        for (Peer old : before.peers().values()) {
            if (!samePeer(old, after.peers().get(old.id()))) {
                events.add(new RoomEvent.PeerLeft(old.id(), old.userId()));
            }
        }
        for (Peer now : after.peers().values()) {
            Peer old = before.peers().get(now.id());
            if (samePeer(old, now) && !old.userData().equals(now.userData())) {
                events.add(new RoomEvent.PeerUserDataChanged(now.id(), now.userData()));
            }
        }
        for (Peer now : after.peers().values()) {
            if (!samePeer(before.peers().get(now.id()), now)) {
                events.add(new RoomEvent.PeerJoined(now));
            }
        }
        if (!before.roomUserData().equals(after.roomUserData())) {
            events.add(new RoomEvent.RoomUserDataChanged(after.roomUserData()));
        }
        return events;
    }

    /** Same id and same user id: we treat it as the same peer (ids are per server run). */
    private static boolean samePeer(Peer a, Peer b) {
        return a != null && b != null && a.id() == b.id() && a.userId().equals(b.userId());
    }

    private static Step unchanged(RoomState state) {
        return new Step(state, List.of());
    }
}
