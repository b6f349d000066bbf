package dev.odinreactive.protocol.media;

import java.time.Duration;
import java.util.Map;

/**
 * Counters of a {@link MediaTransport} since it started (the nearest equivalent of ODIN's
 * {@code OdinConnectionStats}; a snapshot).
 *
 * @param path                    current path
 * @param udpDatagramsSent        datagrams written to the UDP socket (media, hello, ping, probes)
 * @param udpBytesSent            their bytes (UDP payload)
 * @param udpDatagramsReceived    datagrams read from the UDP socket, valid or not
 * @param udpBytesReceived        their bytes
 * @param tunnelDatagramsSent     datagrams handed to the {@link MediaTunnel}
 * @param tunnelBytesSent         their bytes
 * @param tunnelDatagramsReceived datagrams that came from the tunnel, valid or not
 * @param tunnelBytesReceived     their bytes
 * @param mediaPacketsSent        media packets sent (either path)
 * @param mediaPacketsReceived    distinct, authenticated media packets received (all medias)
 * @param mediaPacketsLost        missing sequence numbers between the first and newest packet of
 *                                each remote media (a late packet stops counting once it arrives)
 * @param mediaPacketsReordered   media packets that arrived after a newer one of the same media
 * @param pingsSent               PING/HELLO datagrams sent (either path, probes included)
 * @param pongsReceived           PONG/HELLO_ACK received: the acknowledgement equivalent; the gap to
 *                                {@code pingsSent} is control-datagram loss
 * @param rtt                     smoothed round-trip time (RFC 6298 weights), {@link Duration#ZERO}
 *                                before the first answer
 * @param fallbacks               switches UDP → tunnel (UDP stopped answering: a loss event)
 * @param recoveries              switches tunnel → UDP (a probe got through)
 * @param drops                   dropped datagrams by reason: invalid input (replayed/duplicate,
 *                                forged, garbage, foreign source), {@code BACKPRESSURE} (send
 *                                queue full: the congestion event), {@code NOT_DELIVERED},
 *                                {@code UNKNOWN_MEDIA} (client: a packet for no media it knows)
 */
public record MediaTransportStats(MediaPath path,
                                  long udpDatagramsSent, long udpBytesSent,
                                  long udpDatagramsReceived, long udpBytesReceived,
                                  long tunnelDatagramsSent, long tunnelBytesSent,
                                  long tunnelDatagramsReceived, long tunnelBytesReceived,
                                  long mediaPacketsSent, long mediaPacketsReceived,
                                  long mediaPacketsLost, long mediaPacketsReordered,
                                  long pingsSent, long pongsReceived, Duration rtt,
                                  long fallbacks, long recoveries,
                                  Map<MediaDropReason, Long> drops) {
}
