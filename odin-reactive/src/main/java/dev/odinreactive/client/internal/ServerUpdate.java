package dev.odinreactive.client.internal;

import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.Peer;

/** One change the server reported for the joined room (decoded from a notification). */
public sealed interface ServerUpdate {

    record PeerJoined(Peer peer) implements ServerUpdate {
    }

    record PeerLeft(long peerId) implements ServerUpdate {
    }

    record PeerUserDataChanged(long peerId, Bytes userData) implements ServerUpdate {
    }

    record RoomUserDataChanged(Bytes userData) implements ServerUpdate {
    }

    record MessageReceived(long senderPeerId, Bytes message) implements ServerUpdate {
    }

    /** The server removed us ({@code RoomUpdated Left {reason}}); the socket closes next. */
    record Left(String reason) implements ServerUpdate {
    }

    record MediaStarted(long peerId, int mediaId) implements ServerUpdate {
    }

    record MediaStopped(long peerId, int mediaId) implements ServerUpdate {
    }
}
