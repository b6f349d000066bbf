package dev.odinreactive.protocol.media;

/**
 * Why a media-plane datagram was dropped. Every drop is counted under one reason, on the side
 * that dropped it (client {@code MediaTransportStats.drops()}, relay session and relay totals);
 * nothing in the receive path throws.
 */
public enum MediaDropReason {
    /** Shorter than the smallest valid datagram of its type. */
    TRUNCATED,
    /** Longer than the maximum datagram size (1200 bytes). */
    OVERSIZED,
    /** Version byte is not 1. */
    BAD_VERSION,
    /** Type byte is not a known type. */
    UNKNOWN_TYPE,
    /** A known type that this side never receives (e.g. a PONG sent to the relay). */
    UNEXPECTED_TYPE,
    /** Reserved bits set, negative packet number, or a body of the wrong size. */
    MALFORMED,
    /** The key id matches no key of this side. */
    UNKNOWN_KEY,
    /** The AEAD tag did not verify (forged, corrupted, or sealed with another key). */
    AUTH_FAILED,
    /** The packet number was already accepted (duplicate or replay). */
    REPLAYED,
    /** The packet number is older than the replay window (1024 packets behind the newest). */
    TOO_OLD,
    /** A datagram on the UDP socket that did not come from the relay (client side). */
    FOREIGN_SOURCE,
    /** Relay: the media's token bucket (rate 50/s, burst 100) was empty. */
    RATE_LIMITED,
    /** Relay: the sender already uses the maximum number of media ids (5). */
    MEDIA_LIMIT,
    /** Relay: the receiver already gets {@code concurrent_streams} other streams. */
    STREAM_LIMIT,
    /** Relay: the routing function returned no receiver for this media. */
    NO_ROUTE,
    /** Relay: a receiver has neither a registered UDP address nor a tunnel yet. */
    NOT_REGISTERED,
    /** The outbound queue was full (socket or tunnel not writable): dropped instead of queued. */
    BACKPRESSURE,
    /** Client: a received media packet had no subscriber fast enough to take it. */
    NOT_DELIVERED,
    /**
     * Client: an authenticated media packet for a media id the client does not know (yet, or any
     * more): it overtook the {@code MediaStarted} notification, or came after the media was
     * removed and played out.
     */
    UNKNOWN_MEDIA
}
