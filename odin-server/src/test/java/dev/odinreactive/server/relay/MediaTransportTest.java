package dev.odinreactive.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.odinreactive.protocol.media.MediaDropReason;
import dev.odinreactive.protocol.media.MediaKey;
import dev.odinreactive.protocol.media.MediaPacket;
import dev.odinreactive.protocol.media.MediaPath;
import dev.odinreactive.protocol.media.MediaTransport;
import dev.odinreactive.protocol.media.MediaTransportException;
import dev.odinreactive.protocol.media.MediaTransportStats;
import dev.odinreactive.protocol.media.MediaTunnel;
import dev.odinreactive.protocol.media.internal.MediaAead;
import dev.odinreactive.protocol.media.internal.MediaWire;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class MediaTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<RelaySession> room = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private MediaRelay relay;
    private MediaKey roomKey;

    /** An in-memory stand-in for the control WebSocket, wired to a relay session. */
    private static MediaTunnel tunnelTo(RelaySession session) {
        Sinks.Many<ByteBuf> down = Sinks.many().unicast().onBackpressureBuffer();
        session.attachTunnel(buf -> down.tryEmitNext(buf).isSuccess());
        return new MediaTunnel() {
            @Override
            public boolean send(ByteBuf datagram) {
                session.receiveTunneled(datagram);
                return true;
            }

            @Override
            public Flux<ByteBuf> inbound() {
                return down.asFlux();
            }
        };
    }

    private static void await(BooleanSupplier condition, String what) {
        Boolean ok = Flux.interval(Duration.ofMillis(5)).map(i -> condition.getAsBoolean()).filter(b -> b)
                .next().block(WAIT);
        assertThat(ok).as(what).isTrue();
    }

    @BeforeEach
    void startRelay() {
        relay = MediaRelay.builder()
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .routing((sender, mediaId) -> room)
                .bind().block(WAIT);
        roomKey = relay.newForwardingKey();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        relay.dispose();
    }

    private RelaySession openSession() {
        RelaySession s = relay.openSession(null, roomKey);
        room.add(s);
        return s;
    }

    private MediaTransport.Builder transport(RelaySession s, InetSocketAddress target) {
        return MediaTransport.builder(target, s.keys())
                .bindAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .pingInterval(Duration.ofMillis(20))
                .udpTimeout(Duration.ofMillis(400))
                .probeInterval(Duration.ofMillis(40));
    }

    private MediaTransport connect(MediaTransport.Builder b) {
        MediaTransport t = b.connect().block(WAIT);
        closeables.add(t::dispose);
        return t;
    }

    private LinkedBlockingQueue<MediaPacket> collect(MediaTransport t) {
        LinkedBlockingQueue<MediaPacket> q = new LinkedBlockingQueue<>();
        t.receive().subscribe(q::add);
        return q;
    }

    private static List<MediaPacket> take(LinkedBlockingQueue<MediaPacket> q, int n) throws InterruptedException {
        List<MediaPacket> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            MediaPacket p = q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(p).as("packet %d of %d", i, n).isNotNull();
            got.add(p);
        }
        return got;
    }

    private LossyUdpProxy proxy() throws Exception {
        LossyUdpProxy p = new LossyUdpProxy(relay.address());
        closeables.add(p);
        return p;
    }

    private static InetSocketAddress loopback(InetSocketAddress a) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), a.getPort());
    }

    @Test
    void mediaGoesBothWaysOverUdpWithExactFieldsAndStats() throws Exception {
        RelaySession sa = openSession();
        RelaySession sb = openSession();
        MediaTransport a = connect(transport(sa, loopback(relay.address())));
        MediaTransport b = connect(transport(sb, loopback(relay.address())));
        LinkedBlockingQueue<MediaPacket> atB = collect(b);
        LinkedBlockingQueue<MediaPacket> atA = collect(a);
        for (int seq = 0; seq < 20; seq++) {
            assertThat(a.send(new MediaPacket(4, 1000 + seq, seq * 1800, seq == 19, new byte[] {(byte) seq, 1, 2}))).isTrue();
        }
        List<MediaPacket> got = take(atB, 20);
        for (int seq = 0; seq < 20; seq++) {
            MediaPacket p = got.get(seq);
            assertThat(p.mediaId()).isEqualTo(4);
            assertThat(p.sequence()).isEqualTo(1000 + seq);
            assertThat(p.timestamp()).isEqualTo(seq * 1800);
            assertThat(p.endOfTalk()).isEqualTo(seq == 19);
            assertThat(p.payload()).containsExactly(seq, 1, 2);
        }
        b.send(new MediaPacket(9, 0, 0, false, new byte[] {7}));
        assertThat(take(atA, 1).get(0).payload()).containsExactly(7);

        await(() -> b.stats().pongsReceived() >= 2, "pongs");
        MediaTransportStats sa1 = a.stats();
        MediaTransportStats sb1 = b.stats();
        assertThat(sa1.path()).isEqualTo(MediaPath.UDP);
        assertThat(sa1.mediaPacketsSent()).isEqualTo(20);
        assertThat(sb1.mediaPacketsReceived()).isEqualTo(20);
        assertThat(sb1.mediaPacketsLost()).isZero();
        assertThat(sb1.mediaPacketsReordered()).isZero();
        assertThat(sa1.udpDatagramsSent()).isEqualTo(sa1.mediaPacketsSent() + sa1.pingsSent());
        assertThat(sb1.udpBytesReceived()).isGreaterThan(20L * (MediaWire.MEDIA_HEADER + 3 + MediaWire.TAG));
        assertThat(sb1.tunnelDatagramsSent()).isZero();
        assertThat(sb1.rtt()).isPositive().isLessThan(Duration.ofSeconds(1));
        assertThat(sb1.drops()).isEmpty();
        assertThat(sb.stats().udpAddress()).isEqualTo(b.localAddress());
    }

    @Test
    void blockedUdpFallsBackToTheTunnelAndReturnsWhenUdpWorksAgain() throws Exception {
        RelaySession sa = openSession();
        RelaySession sb = openSession();
        MediaTransport a = connect(transport(sa, loopback(relay.address())));
        LossyUdpProxy proxy = proxy();
        proxy.block(true);
        MediaTransport b = connect(transport(sb, proxy.address()).tunnel(tunnelTo(sb)));
        List<MediaPath> pathLog = new CopyOnWriteArrayList<>();
        b.pathChanges().subscribe(pathLog::add);
        LinkedBlockingQueue<MediaPacket> atB = collect(b);
        LinkedBlockingQueue<MediaPacket> atA = collect(a);

        // connected through the tunnel
        assertThat(b.path()).isEqualTo(MediaPath.TUNNEL);
        await(() -> sb.stats().path() == MediaPath.TUNNEL, "relay uses the tunnel for b");
        for (int seq = 0; seq < 5; seq++) {
            a.send(new MediaPacket(1, seq, seq * 1800, false, new byte[] {1}));
        }
        assertThat(take(atB, 5)).extracting(MediaPacket::sequence).containsExactly(0, 1, 2, 3, 4);
        b.send(new MediaPacket(2, 0, 0, false, new byte[] {2}));
        assertThat(take(atA, 1).get(0).mediaId()).isEqualTo(2);
        MediaTransportStats tunnelled = b.stats();
        assertThat(tunnelled.tunnelDatagramsReceived()).isGreaterThanOrEqualTo(5);
        assertThat(tunnelled.tunnelDatagramsSent()).isGreaterThanOrEqualTo(1);
        assertThat(tunnelled.udpDatagramsReceived()).isZero();
        assertThat(proxy.dropped.get()).isPositive();

        // UDP works again: the next probe brings both directions back
        proxy.block(false);
        await(() -> b.path() == MediaPath.UDP, "client back on UDP");
        await(() -> sb.stats().path() == MediaPath.UDP, "relay back on UDP");
        long tunnelRxBefore = b.stats().tunnelDatagramsReceived();
        for (int seq = 5; seq < 10; seq++) {
            a.send(new MediaPacket(1, seq, seq * 1800, false, new byte[] {1}));
        }
        assertThat(take(atB, 5)).extracting(MediaPacket::sequence).containsExactly(5, 6, 7, 8, 9);
        assertThat(b.stats().tunnelDatagramsReceived()).isEqualTo(tunnelRxBefore);

        // and blocked again: back to the tunnel, no packet lost once switched
        proxy.block(true);
        await(() -> b.path() == MediaPath.TUNNEL, "client on the tunnel again");
        await(() -> sb.stats().path() == MediaPath.TUNNEL, "relay on the tunnel again");
        for (int seq = 10; seq < 15; seq++) {
            a.send(new MediaPacket(1, seq, seq * 1800, false, new byte[] {1}));
        }
        assertThat(take(atB, 5)).extracting(MediaPacket::sequence).containsExactly(10, 11, 12, 13, 14);
        MediaTransportStats end = b.stats();
        assertThat(end.fallbacks()).isEqualTo(2);
        assertThat(end.recoveries()).isEqualTo(1);
        assertThat(end.mediaPacketsLost()).isZero();
        assertThat(pathLog).containsExactly(MediaPath.TUNNEL, MediaPath.UDP, MediaPath.TUNNEL);
    }

    @Test
    void injectedLossReorderAndDuplicatesAreCountedExactly() throws Exception {
        RelaySession sa = openSession();
        RelaySession sb = openSession();
        MediaTransport a = connect(transport(sa, loopback(relay.address())));
        LossyUdpProxy proxy = proxy();
        Set<Integer> drop = Set.of(10, 50, 51);
        Set<Integer> dup = Set.of(20, 30);
        proxy.down = i -> drop.contains(i) ? LossyUdpProxy.Action.DROP
                : dup.contains(i) ? LossyUdpProxy.Action.DUPLICATE
                : i == 40 ? LossyUdpProxy.Action.HOLD_UNTIL_NEXT : LossyUdpProxy.Action.PASS;
        MediaTransport b = connect(transport(sb, proxy.address()));
        LinkedBlockingQueue<MediaPacket> atB = collect(b);
        for (int seq = 0; seq < 90; seq++) {
            a.send(new MediaPacket(3, seq, seq * 1800, false, new byte[] {(byte) seq}));
        }
        List<MediaPacket> got = take(atB, 87);
        List<Integer> order = got.stream().map(MediaPacket::sequence).toList();
        assertThat(order).doesNotContain(10, 50, 51).doesNotHaveDuplicates();
        assertThat(order.indexOf(40)).isEqualTo(order.indexOf(41) + 1);
        await(() -> b.stats().drops().getOrDefault(MediaDropReason.REPLAYED, 0L) == 2, "duplicates counted");
        MediaTransportStats s = b.stats();
        assertThat(s.mediaPacketsReceived()).isEqualTo(87);
        assertThat(s.mediaPacketsLost()).isEqualTo(3);
        assertThat(s.mediaPacketsReordered()).isEqualTo(1);
        assertThat(s.drops()).isEqualTo(Map.of(MediaDropReason.REPLAYED, 2L));
        assertThat(atB).isEmpty();
    }

    @Test
    void garbageForgedReplayedAndForeignDatagramsAreCountedAndHarmless() throws Exception {
        RelaySession sa = openSession();
        RelaySession sb = openSession();
        MediaTransport a = connect(transport(sa, loopback(relay.address())));
        LossyUdpProxy proxy = proxy();
        proxy.down = i -> LossyUdpProxy.Action.PASS;
        MediaTransport b = connect(transport(sb, proxy.address()));
        LinkedBlockingQueue<MediaPacket> atB = collect(b);
        a.send(new MediaPacket(1, 0, 0, false, new byte[] {1}));
        take(atB, 1);

        // "from the relay" (the proxy's address): garbage, a forgery, a replay of a genuine datagram
        proxy.injectToClient(new byte[] {1, 2, 3});
        MediaAead forger = MediaAead.sealer(MediaKey.random(sb.keys().downlink().id(), new SecureRandom()));
        byte[] src = new byte[MediaWire.MEDIA_HEADER + 1];
        MediaWire.writeCommonHeader(src, MediaWire.TYPE_MEDIA, 0, forger.keyId(), 1_000_000);
        MediaWire.writeMediaFields(src, 1, 99, 0);
        byte[] forged = new byte[src.length + MediaWire.TAG];
        forger.seal(src, MediaWire.MEDIA_HEADER, 1, forged);
        proxy.injectToClient(forged);
        byte[] genuine = proxy.lastMediaToClient; // already delivered: a replay
        assertThat(genuine).isNotNull();
        proxy.injectToClient(genuine);
        // from somewhere else entirely
        try (DatagramChannel stranger = DatagramChannel.open()) {
            stranger.send(ByteBuffer.wrap(genuine), loopback(b.localAddress()));
        }
        for (int seq = 1; seq < 10; seq++) {
            a.send(new MediaPacket(1, seq, seq * 1800, false, new byte[] {1}));
        }
        List<MediaPacket> got = take(atB, 9);
        assertThat(got).extracting(MediaPacket::sequence).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        await(() -> b.stats().drops().values().stream().mapToLong(Long::longValue).sum() == 4, "drops counted");
        assertThat(b.stats().drops()).isEqualTo(Map.of(MediaDropReason.TRUNCATED, 1L, MediaDropReason.AUTH_FAILED, 1L,
                MediaDropReason.REPLAYED, 1L, MediaDropReason.FOREIGN_SOURCE, 1L));
        assertThat(b.stats().mediaPacketsReceived()).isEqualTo(10);
        assertThat(atB).isEmpty();
    }

    @Test
    void withoutATunnelBlockedUdpFailsConnectWithATypedErrorAndReleasesEverything() throws Exception {
        RelaySession s = openSession();
        LossyUdpProxy proxy = proxy();
        proxy.block(true);
        StepVerifier.create(transport(s, proxy.address()).connectTimeout(Duration.ofMillis(300)).connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MediaTransportException.class)
                        .hasMessageContaining("did not answer"))
                .verify(WAIT);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("odin-media") && t.isAlive());
    }

    @Test
    void oversizedPayloadIsRejectedAndDisposeIsClean() throws Exception {
        RelaySession s = openSession();
        MediaTransport t = connect(transport(s, loopback(relay.address())));
        assertThatThrownBy(() -> t.send(new MediaPacket(1, 0, 0, false, new byte[MediaWire.MAX_MEDIA_PAYLOAD + 1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1158");
        assertThat(t.send(new MediaPacket(1, 0, 0, false, new byte[MediaWire.MAX_MEDIA_PAYLOAD]))).isTrue();
        StepVerifier.create(t.pathChanges()).expectNext(MediaPath.UDP).then(t::dispose).verifyComplete();
        t.dispose();
        assertThat(t.isDisposed()).isTrue();
        assertThat(t.send(new MediaPacket(1, 1, 0, false, new byte[1]))).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(th -> th.getName().startsWith("odin-media") && th.isAlive());
    }
}
