package dev.odinreactive.server.relay;

import dev.odinreactive.protocol.media.MediaDropReason;
import java.util.Map;

/**
 * Relay-wide counters since start (a snapshot; fields read while the event loop runs).
 *
 * @param datagramsIn   datagrams received (UDP and tunnel), valid or not
 * @param bytesIn       their bytes
 * @param datagramsOut  datagrams sent (forwarded media, HELLO_ACK, PONG), UDP and tunnel
 * @param bytesOut      their bytes
 * @param forwarded     media datagrams sent to receivers (one per receiver)
 * @param opens         AEAD open operations (one per datagram that reached the key check)
 * @param seals         AEAD seal operations (one per forwarded packet and downlink key, plus replies)
 * @param sessions      open sessions
 * @param drops         drops by reason (only non-zero reasons)
 */
public record RelayStats(long datagramsIn, long bytesIn, long datagramsOut, long bytesOut, long forwarded,
                         long opens, long seals, int sessions, Map<MediaDropReason, Long> drops) {

    /** Total dropped datagrams (a forwarded packet dropped for one receiver counts once). */
    public long dropped() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }
}
