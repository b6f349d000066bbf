/**
 * The media plane shared by client and server: encrypted media datagrams (layout in
 * {@code docs/protocol.md}, section "Media plane"), per-connection {@link
 * dev.odinreactive.protocol.media.MediaKeys}, typed {@link
 * dev.odinreactive.protocol.media.MediaDropReason drop reasons}, and the client side {@link
 * dev.odinreactive.protocol.media.MediaTransport} (UDP with automatic fallback to a {@link
 * dev.odinreactive.protocol.media.MediaTunnel} over the control channel).
 *
 * <p>The wire codec, AEAD, replay window and rate limiter live in {@code .internal}; they are
 * shared with {@code odin-server}'s relay and are not public API.
 */
package dev.odinreactive.protocol.media;
