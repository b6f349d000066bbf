package dev.odinreactive.client;

import java.util.Objects;

/**
 * A remote peer as this client currently sees it (an immutable snapshot).
 *
 * @param id       server-assigned peer id, unique within the room, never 0; a peer that
 *                 reconnects comes back with a new id
 * @param userId   the token's {@code uid}; several peers may share one
 * @param userData the peer's opaque user data
 */
public record Peer(long id, String userId, Bytes userData) {
    public Peer {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(userData, "userData");
    }

    /** This peer with other user data. */
    public Peer withUserData(Bytes newUserData) {
        return new Peer(id, userId, newUserData);
    }
}
