package dev.odinreactive.server.internal;

import dev.odinreactive.protocol.PeerInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A peer's state inside its {@link Room}. Touched only by the room's serial executor, so no
 * field needs synchronisation. Media state (medias, pauses) is added here by the media issue.
 */
final class Peer {

    final long id;
    final String userId;
    final PeerSession session;
    final List<Integer> mediaIds;
    /** Ids of the peers this peer currently sees (culling); symmetric between two peers. */
    final Set<Long> visible = new HashSet<>();
    byte[] userData;
    double x;
    double y;
    double z;
    boolean removed;

    Peer(long id, String userId, PeerSession session, byte[] userData, double[] position, List<Integer> mediaIds) {
        this.id = id;
        this.userId = userId;
        this.session = session;
        this.userData = userData;
        this.x = position[0];
        this.y = position[1];
        this.z = position[2];
        this.mediaIds = mediaIds;
    }

    /** Culling: peers see each other within radius 1.0 of the (client-scaled) coordinates. */
    boolean inRange(Peer other) {
        double dx = x - other.x;
        double dy = y - other.y;
        double dz = z - other.z;
        return dx * dx + dy * dy + dz * dz <= 1.0;
    }

    PeerInfo info() {
        return new PeerInfo(id, userId, userData, List.of());
    }
}
