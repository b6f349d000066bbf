package dev.odinreactive.server.relay;

import java.util.List;

/**
 * Decides who hears a media packet. The control plane implements it from its room state
 * (same room, not culled by position, not paused by the receiver, media owned by the sender).
 *
 * <p>Called on the relay's event loop for <em>every</em> authenticated media packet: it must not
 * block and should not allocate — return a cached, immutable list that is replaced (copy on
 * write) when the room changes. The relay skips the sender itself and closed sessions, and
 * applies {@code concurrent_streams} per receiver in list order, so put nearer peers first.
 */
@FunctionalInterface
public interface RelayRouting {

    /**
     * @param sender  the authenticated sender
     * @param mediaId the packet's media id
     * @return the receivers; an empty list drops the packet (counted as {@code NO_ROUTE}),
     *         which is also the answer for a media id the sender does not own
     */
    List<RelaySession> receivers(RelaySession sender, int mediaId);
}
