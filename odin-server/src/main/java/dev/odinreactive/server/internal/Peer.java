package dev.odinreactive.server.internal;

import dev.odinreactive.protocol.PeerInfo;
import dev.odinreactive.server.relay.RelaySession;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A peer's state inside its {@link Room}. Touched only by the room's serial executor, so no
 * field needs synchronisation, except the media fields the relay's event loop reads
 * ({@link #relay}, {@link #routes}: volatile, replaced as a whole by room tasks).
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
    /** Started medias: media id → properties (room tasks only). */
    final Map<Integer, Map<String, Object>> medias = new LinkedHashMap<>();
    /**
     * Stopped medias still routed for {@link RoomMedia#LINGER}: their last datagrams (end-of-talk)
     * may reach the relay after StopMedia did (room tasks only).
     */
    final Set<Integer> lingering = new java.util.LinkedHashSet<>();
    /** Media ids (of other peers) this peer paused as a receiver (room tasks only). */
    final Set<Integer> pausedMedias = new HashSet<>();
    /** The peer's relay session once it called SetupMedia. */
    volatile RelaySession relay;
    /** Who hears each of this peer's medias, rebuilt by {@link RoomMedia#refresh}. */
    volatile MediaRoutes routes = MediaRoutes.EMPTY;

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
