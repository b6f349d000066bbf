package dev.odinreactive.server.relay;

import dev.odinreactive.protocol.media.MediaDropReason;
import dev.odinreactive.protocol.media.MediaKeys;
import dev.odinreactive.protocol.media.internal.DropCounters;
import dev.odinreactive.protocol.media.internal.InboundDatagrams;
import dev.odinreactive.protocol.media.internal.MediaAead;
import dev.odinreactive.protocol.media.internal.MediaWire;
import dev.odinreactive.protocol.media.internal.ReplayWindow;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;

/** A hand-driven media client on a real loopback UDP socket, for relay tests. */
final class TestPeer implements AutoCloseable {

    /** A received, opened datagram. */
    record Received(int type, int flags, int keyId, long packetNumber, int mediaId, int sequence, int timestamp,
                    byte[] body, byte[] raw) {
        long echo() {
            return MediaWire.readLong(body, 0);
        }
    }

    final MediaKeys keys;
    final DatagramChannel channel;
    final InetSocketAddress relay;
    final MediaAead sealer;
    final MediaAead opener;
    final ReplayWindow window = new ReplayWindow();
    final DropCounters drops = new DropCounters();
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(2048);
    private final java.util.ArrayDeque<Received> pending = new java.util.ArrayDeque<>();

    TestPeer(RelaySession session, InetSocketAddress relay) throws IOException {
        this.keys = session.keys();
        this.relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.getPort());
        this.sealer = MediaAead.sealer(keys.uplink());
        this.opener = MediaAead.opener(keys.downlink());
        this.channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    byte[] sealControl(int type, int flags, long echo) {
        byte[] src = new byte[MediaWire.COMMON_HEADER + MediaWire.CONTROL_BODY];
        MediaWire.writeCommonHeader(src, type, flags, keys.sessionId(), sealer.nextPacketNumber());
        MediaWire.writeLong(src, MediaWire.COMMON_HEADER, echo);
        byte[] out = new byte[MediaWire.CONTROL_DATAGRAM];
        sealer.seal(src, MediaWire.COMMON_HEADER, MediaWire.CONTROL_BODY, out);
        return out;
    }

    byte[] sealMedia(int mediaId, int seq, int ts, boolean endOfTalk, byte[] payload) {
        byte[] src = new byte[MediaWire.MEDIA_HEADER + payload.length];
        MediaWire.writeCommonHeader(src, MediaWire.TYPE_MEDIA, endOfTalk ? MediaWire.FLAG_END_OF_TALK : 0,
                keys.sessionId(), sealer.nextPacketNumber());
        MediaWire.writeMediaFields(src, mediaId, seq, ts);
        System.arraycopy(payload, 0, src, MediaWire.MEDIA_HEADER, payload.length);
        byte[] out = new byte[src.length + MediaWire.TAG];
        sealer.seal(src, MediaWire.MEDIA_HEADER, payload.length, out);
        return out;
    }

    void send(byte[] datagram) throws IOException {
        channel.send(ByteBuffer.wrap(datagram), relay);
    }

    void hello(long echo) throws IOException {
        send(sealControl(MediaWire.TYPE_HELLO, 0, echo));
    }

    void ping(long echo, boolean probe) throws IOException {
        send(sealControl(MediaWire.TYPE_PING, probe ? MediaWire.FLAG_PROBE : 0, echo));
    }

    void media(int mediaId, int seq, boolean endOfTalk, byte[] payload) throws IOException {
        send(sealMedia(mediaId, seq, seq * 1800, endOfTalk, payload));
    }

    /** Pings and waits for the pong: afterwards the relay has processed everything sent before. */
    void barrier() throws IOException {
        long echo = System.nanoTime();
        ping(echo, false);
        java.util.List<Received> held = new java.util.ArrayList<>();
        try {
            awaitPong(echo, held);
        } finally {
            pending.addAll(held);
        }
    }

    private void awaitPong(long echo, java.util.List<Received> held) throws IOException {
        while (true) {
            Received r = await(5000);
            if (r == null) {
                throw new AssertionError("no pong within 5 s");
            }
            if (r.type() == MediaWire.TYPE_PONG && r.echo() == echo) {
                return;
            }
            held.add(r);
        }
    }

    /** Next datagram (opened), or null if none arrives within the timeout. */
    Received await(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            Received r = poll();
            if (r != null) {
                return r;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return null;
            }
            selector.select(left);
            selector.selectedKeys().clear();
        }
    }

    /** A datagram already queued on the socket, or null. */
    Received poll() throws IOException {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        in.clear();
        SocketAddress from = channel.receive(in);
        if (from == null) {
            return null;
        }
        in.flip();
        byte[] raw = new byte[in.remaining()];
        in.get(raw);
        MediaDropReason pre = MediaWire.precheck(raw, raw.length);
        if (pre != null) {
            throw new AssertionError("relay sent a bad datagram: " + pre);
        }
        byte[] plain = new byte[MediaWire.MAX_DATAGRAM];
        int n = InboundDatagrams.open(raw, raw.length, opener, window, plain, 0);
        if (n < 0) {
            drops.increment(InboundDatagrams.reason(n));
            return poll();
        }
        boolean media = MediaWire.type(raw) == MediaWire.TYPE_MEDIA;
        return new Received(MediaWire.type(raw), MediaWire.flags(raw), MediaWire.keyId(raw),
                MediaWire.packetNumber(raw), media ? MediaWire.mediaId(raw) : -1,
                media ? MediaWire.sequence(raw) : 0, media ? MediaWire.timestamp(raw) : 0,
                Arrays.copyOf(plain, n), raw);
    }

    /** Drains everything queued; returns the media datagrams. */
    java.util.List<Received> drainMedia() throws IOException {
        java.util.List<Received> list = new java.util.ArrayList<>();
        Received r;
        while ((r = poll()) != null) {
            if (r.type() == MediaWire.TYPE_MEDIA) {
                list.add(r);
            }
        }
        return list;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
