package dev.odinreactive.server.relay;

import dev.odinreactive.protocol.media.MediaDropReason;
import dev.odinreactive.protocol.media.MediaKeys;
import dev.odinreactive.protocol.media.MediaPath;
import dev.odinreactive.protocol.media.internal.DropCounters;
import dev.odinreactive.protocol.media.internal.MediaAead;
import dev.odinreactive.protocol.media.internal.ReplayWindow;
import dev.odinreactive.protocol.media.internal.TokenBucket;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One client's media connection on the relay, created by {@link MediaRelay#openSession} when a
 * peer joins. Hand {@link #keys()} to the client over the authenticated control channel; the
 * client then registers its UDP address with a HELLO. Thread-safe; its mutable state is owned
 * by the relay's event loop.
 */
public final class RelaySession {

    final int id;
    final MediaKeys keys;
    final Object context;
    final MediaRelay relay;
    final MediaAead opener;
    final ReplayWindow window = new ReplayWindow();
    final Downlink downlink;
    final StreamSlots slots;
    final DropCounters drops = new DropCounters();

    // sender side: media ids in use and their token buckets
    final int[] mediaIds;
    final TokenBucket[] buckets;
    int mediaCount;

    volatile InetSocketAddress udpAddress;
    volatile boolean viaTunnel;
    volatile RelayTunnel tunnel;
    volatile boolean closed;

    long datagramsIn;
    long bytesIn;
    long datagramsOut;
    long bytesOut;

    RelaySession(MediaRelay relay, MediaKeys keys, Downlink downlink, Object context, RelayLimits limits) {
        this.relay = relay;
        this.keys = keys;
        this.id = keys.sessionId();
        this.context = context;
        this.opener = MediaAead.opener(keys.uplink());
        this.downlink = downlink;
        this.slots = new StreamSlots(limits.concurrentStreams(), limits.streamIdleTimeout().toNanos());
        this.mediaIds = new int[limits.mediasPerPeer()];
        this.buckets = new TokenBucket[limits.mediasPerPeer()];
    }

    /** The session id (= uplink key id, unique on this relay). */
    public int id() {
        return id;
    }

    /** The keys to hand to the client. Secret: never log them. */
    public MediaKeys keys() {
        return keys;
    }

    /** Whatever the control plane passed to {@link MediaRelay#openSession} (e.g. its peer). */
    public Object context() {
        return context;
    }

    /**
     * Attaches the control channel as this session's fallback path. Downlink datagrams use it
     * while the client's latest non-probe datagram came through {@link #receiveTunneled}.
     */
    public void attachTunnel(RelayTunnel tunnel) {
        this.tunnel = Objects.requireNonNull(tunnel, "tunnel");
    }

    /**
     * Feeds one datagram the client sent over the control channel into the relay. Takes
     * ownership of the buffer; returns at once (processing happens on the relay's event loop).
     * Datagrams whose key id is not this session's are dropped as {@code UNKNOWN_KEY}.
     */
    public void receiveTunneled(ByteBuf datagram) {
        relay.receiveTunneled(this, datagram);
    }

    /** Whether {@link #close()} was called (or the relay was disposed). */
    public boolean isClosed() {
        return closed;
    }

    /** Removes the session from the relay; its datagrams are then dropped as {@code UNKNOWN_KEY}. Idempotent. */
    public void close() {
        if (!closed) {
            closed = true;
            relay.closeSession(this);
        }
    }

    /** A snapshot of this session's counters. */
    public RelaySessionStats stats() {
        return new RelaySessionStats(datagramsIn, bytesIn, datagramsOut, bytesOut,
                viaTunnel ? MediaPath.TUNNEL : MediaPath.UDP, udpAddress, drops.snapshot());
    }

    void drop(MediaDropReason reason) {
        drops.increment(reason);
    }

    @Override
    public String toString() {
        return "RelaySession[id=" + Integer.toUnsignedString(id) + (closed ? ", closed" : "") + "]";
    }
}
