package dev.odinreactive.client;

import java.time.Duration;

/**
 * Counters of one room's control connection, summed over reconnects (an immutable snapshot
 * from {@link Room#stats()}).
 *
 * @param bytesIn          WebSocket payload bytes received
 * @param bytesOut         WebSocket payload bytes sent
 * @param messagesIn       frames received (responses + notifications)
 * @param messagesOut      frames sent (requests)
 * @param rtt              round-trip time of the latest {@code Ping}, {@link Duration#ZERO} before the first
 * @param reconnects       successful rejoins after a connection loss
 * @param eventsDropped    room events dropped because a slow {@code events()} subscriber's buffer was full
 * @param datagramsIn      reserved for media (UDP datagrams received); 0 for now
 * @param datagramsOut     reserved for media (UDP datagrams sent); 0 for now
 */
public record ConnectionStats(long bytesIn, long bytesOut, long messagesIn, long messagesOut,
                              Duration rtt, long reconnects, long eventsDropped,
                              long datagramsIn, long datagramsOut) {
}
