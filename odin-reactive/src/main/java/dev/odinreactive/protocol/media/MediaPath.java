package dev.odinreactive.protocol.media;

/** The path media datagrams currently take between a client and the relay. */
public enum MediaPath {
    /** Direct UDP datagrams to the relay's UDP port. */
    UDP,
    /** Tunnelled through the control channel (WebSocket) because UDP got no answer. */
    TUNNEL
}
