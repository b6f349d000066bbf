package dev.odinreactive.client;

import java.util.List;
import java.util.Objects;

/**
 * Everything that happens in a joined room, as seen by this client ({@link Room#events()}).
 *
 * <p>Ordering: events appear in the order the server applied the changes. Every subscriber's
 * sequence starts with a {@link Joined} snapshot of the current state (followed by the current
 * {@link ConnectionStateChanged} if the room is not {@code CONNECTED}), then live events, so
 * replaying the events on top of the snapshot always yields {@link Room#peers()}.
 */
public sealed interface RoomEvent {

    /**
     * The room snapshot: first element for every subscriber.
     *
     * @param roomId       the room id
     * @param customer     the customer owning the room
     * @param ownPeerId    own peer id (new after each reconnect)
     * @param ownUserId    own user id (the token's {@code uid})
     * @param roomUserData the room's user data
     * @param peers        the remote peers visible to this client (culling applies), own peer excluded
     */
    record Joined(String roomId, String customer, long ownPeerId, String ownUserId,
                  Bytes roomUserData, List<Peer> peers) implements RoomEvent {
        public Joined {
            peers = List.copyOf(peers);
        }
    }

    /** A peer became visible: it joined, or moved into range, or appeared during a reconnect. */
    record PeerJoined(Peer peer) implements RoomEvent {
        public PeerJoined {
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** A peer is no longer visible: it left, moved out of range, or vanished during a reconnect. */
    record PeerLeft(long peerId, String userId) implements RoomEvent {
    }

    /** A visible peer replaced its user data. */
    record PeerUserDataChanged(long peerId, Bytes userData) implements RoomEvent {
    }

    /** The room's user data changed (set through the gateway's {@code RoomUpdate}). */
    record RoomUserDataChanged(Bytes userData) implements RoomEvent {
    }

    /**
     * A message for this client; never culled by range.
     *
     * @param senderPeerId 0 when the server or gateway sent it
     */
    record MessageReceived(long senderPeerId, Bytes message) implements RoomEvent {
    }

    /**
     * The control connection changed state.
     *
     * <p>A connection loss gives {@code CONNECTING/CONNECTION_LOST}; after a successful rejoin
     * the reconciliation events ({@link PeerLeft} for peers that went away, {@link PeerJoined}
     * for new ones, {@link PeerUserDataChanged}, {@link RoomUserDataChanged}) come first, then
     * {@code CONNECTED/CONNECTION_LOST} carrying the <b>new</b> {@code ownPeerId} the server
     * assigned. A final {@code DISCONNECTED} is the last event before {@code events()} completes.
     *
     * @param ownPeerId own peer id while {@code CONNECTED}, else the last one (0 if never joined)
     * @param error     why, for {@code DISCONNECTED} caused by a failure or a server decision
     *                  (e.g. {@link OdinException.Reason#KICKED}); {@code null} otherwise
     */
    record ConnectionStateChanged(State state, Reason reason, long ownPeerId, OdinException error)
            implements RoomEvent {
        public ConnectionStateChanged {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(reason, "reason");
        }

        /** Connection states, as in ODIN's C API. */
        public enum State { CONNECTING, CONNECTED, DISCONNECTING, DISCONNECTED }

        /** Why the state changed. */
        public enum Reason { CLIENT_REQUESTED, SERVER_REQUESTED, CONNECTION_LOST }
    }

    /**
     * A visible peer started a media (an audio stream), or a peer that has medias became visible
     * (also after a reconnect).
     *
     * @param media the handle to play it ({@link RemoteMedia#frames()}); valid until the matching
     *              {@link MediaRemoved}
     */
    record MediaAdded(long peerId, int mediaId, RemoteMedia media) implements RoomEvent {
    }

    /**
     * A remote media is gone: its peer stopped it, left or moved out of range, or the connection
     * was lost (the media comes back with {@link MediaAdded} after the rejoin). No event of this
     * media follows (an active one gets {@code MediaActiveStateChanged(active=false)} just before).
     * Its {@link RemoteMedia#frames()} complete once the audio still buffered or in flight has
     * played out (at most about 500 ms later; at once when the connection was lost).
     */
    record MediaRemoved(long peerId, int mediaId) implements RoomEvent {
    }

    /**
     * A media started or stopped carrying audio. Remote: packets started flowing, or the stream
     * ended (end-of-talk flag played out, or 200 ms without packets). Local ({@code peerId} is
     * the own peer id): the talk decision (VAD/volume gate, or non-silence without APM) flipped.
     */
    record MediaActiveStateChanged(long peerId, int mediaId, boolean active) implements RoomEvent {
    }
}
