/**
 * The media relay: a UDP server that authenticates each media datagram once, applies ODIN's
 * per-media and per-receiver limits, and forwards it to the receivers a pluggable {@link
 * dev.odinreactive.server.relay.RelayRouting} names, without decoding audio.
 *
 * <p>Seams for the control plane: {@link dev.odinreactive.server.relay.MediaRelay#openSession}
 * (keys for a joined peer), {@link dev.odinreactive.server.relay.RelayRouting} (rooms, culling,
 * pause), {@link dev.odinreactive.server.relay.RelayTunnel} (datagrams over the WebSocket).
 */
package dev.odinreactive.server.relay;
