package dev.odinreactive.server.relay;

import dev.odinreactive.protocol.media.MediaDropReason;
import dev.odinreactive.protocol.media.MediaPath;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Counters of one relay session (a snapshot).
 *
 * @param datagramsIn  authenticated datagrams from this client
 * @param bytesIn      their bytes
 * @param datagramsOut datagrams sent to this client (media and replies)
 * @param bytesOut     their bytes
 * @param path         where downlink datagrams go now ({@code UDP} until the client's latest
 *                     non-probe datagram came through the tunnel)
 * @param udpAddress   the client's registered UDP address, {@code null} before its first
 *                     authenticated UDP datagram
 * @param drops        drops charged to this session: its own datagrams that failed (replay,
 *                     auth, limits) and forwards to it that failed (stream limit, backpressure)
 */
public record RelaySessionStats(long datagramsIn, long bytesIn, long datagramsOut, long bytesOut,
                                MediaPath path, InetSocketAddress udpAddress,
                                Map<MediaDropReason, Long> drops) {
}
