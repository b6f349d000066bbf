package dev.odinreactive.server.internal;

import dev.odinreactive.server.relay.RelayRouting;
import dev.odinreactive.server.relay.RelaySession;
import java.util.List;

/**
 * An immutable table "media id → receivers" of one sending peer, rebuilt by room tasks (copy on
 * write) and read by the relay's event loop without locks or allocation.
 */
final class MediaRoutes {

    static final MediaRoutes EMPTY = new MediaRoutes(new int[0], List.of());

    /** The relay's routing: the sender session's context is its {@link Peer}. */
    static final RelayRouting ROUTING = (sender, mediaId) ->
            sender.context() instanceof Peer p ? p.routes.receivers(mediaId) : List.of();

    private final int[] mediaIds;
    private final List<List<RelaySession>> receivers;

    MediaRoutes(int[] mediaIds, List<List<RelaySession>> receivers) {
        this.mediaIds = mediaIds;
        this.receivers = receivers;
    }

    /** Receivers of {@code mediaId}, nearest first; empty for a media the peer has not started. */
    List<RelaySession> receivers(int mediaId) {
        for (int i = 0; i < mediaIds.length; i++) {
            if (mediaIds[i] == mediaId) {
                return receivers.get(i);
            }
        }
        return List.of();
    }
}
