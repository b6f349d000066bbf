package dev.odinreactive.server.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * Relay limits, ODIN's {@code [limit]} defaults.
 *
 * @param mediaPacketRate   token-bucket refill per media, packets/s (ODIN {@code incoming_media_packets.rate} 50)
 * @param mediaPacketBurst  token-bucket capacity per media (ODIN {@code capacity} 100)
 * @param mediasPerPeer     distinct media ids one session may send (ODIN {@code limit.peer.medias} 5)
 * @param concurrentStreams streams one receiver gets at once, 0 = unlimited (ODIN {@code concurrent_streams} 8)
 * @param streamIdleTimeout a receiver's stream slot frees after this long without packets
 *                          (or at once on an end-of-talk packet)
 */
public record RelayLimits(int mediaPacketRate, int mediaPacketBurst, int mediasPerPeer,
                          int concurrentStreams, Duration streamIdleTimeout) {

    /** ODIN's defaults: 50/s burst 100, 5 medias, 8 streams, 500 ms idle. */
    public static final RelayLimits DEFAULTS = new RelayLimits(50, 100, 5, 8, Duration.ofMillis(500));

    public RelayLimits {
        if (mediaPacketRate <= 0 || mediaPacketBurst <= 0 || mediasPerPeer <= 0 || concurrentStreams < 0) {
            throw new IllegalArgumentException("invalid relay limits: rate " + mediaPacketRate + ", burst "
                    + mediaPacketBurst + ", medias " + mediasPerPeer + ", streams " + concurrentStreams);
        }
        Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
    }
}
