package dev.odinreactive.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.odinreactive.protocol.media.MediaDropReason;
import dev.odinreactive.protocol.media.MediaKey;
import dev.odinreactive.protocol.media.MediaPath;
import dev.odinreactive.protocol.media.internal.MediaWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaRelayTest {

    /** Everyone in one room hears everyone else; routes can be overridden per sender. */
    private final List<RelaySession> room = new CopyOnWriteArrayList<>();
    private final Map<RelaySession, List<RelaySession>> overrides = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<TestPeer> peers = new ArrayList<>();
    private MediaRelay relay;

    private MediaRelay start(RelayLimits limits) {
        return start(limits, true);
    }

    private MediaRelay start(RelayLimits limits, boolean nativeTransport) {
        relay = MediaRelay.builder()
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .nativeTransport(nativeTransport)
                .routing((sender, mediaId) -> overrides.getOrDefault(sender, room))
                .limits(limits)
                .clock(clock::get)
                .bind().block(Duration.ofSeconds(5));
        return relay;
    }

    private TestPeer join(MediaKey forwarding) throws Exception {
        RelaySession s = relay.openSession("peer" + peers.size(), forwarding);
        room.add(s);
        TestPeer p = new TestPeer(s, relay.address());
        peers.add(p);
        return p;
    }

    private static void registered(TestPeer p) throws Exception {
        p.hello(1);
        TestPeer.Received ack = p.await(5000);
        assertThat(ack).isNotNull();
        assertThat(ack.type()).isEqualTo(MediaWire.TYPE_HELLO_ACK);
    }

    private RelaySession session(TestPeer p) {
        return room.stream().filter(s -> s.id() == p.keys.sessionId()).findFirst().orElseThrow();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (TestPeer p : peers) {
            p.close();
        }
        if (relay != null) {
            relay.dispose();
        }
    }

    @Test
    void helloRegistersTheAddressAndIsAnsweredWithTheEcho() throws Exception {
        start(RelayLimits.DEFAULTS);
        TestPeer a = join(null);
        assertThat(session(a).stats().udpAddress()).isNull();
        a.hello(0x1122334455667788L);
        TestPeer.Received ack = a.await(5000);
        assertThat(ack.type()).isEqualTo(MediaWire.TYPE_HELLO_ACK);
        assertThat(ack.echo()).isEqualTo(0x1122334455667788L);
        assertThat(ack.keyId()).isEqualTo(a.keys.downlink().id());
        assertThat(session(a).stats().udpAddress()).isEqualTo(a.localAddress());
        assertThat(session(a).stats().path()).isEqualTo(MediaPath.UDP);

        a.ping(99, true);
        TestPeer.Received pong = a.await(5000);
        assertThat(pong.type()).isEqualTo(MediaWire.TYPE_PONG);
        assertThat(pong.flags()).isEqualTo(MediaWire.FLAG_PROBE);
        assertThat(pong.echo()).isEqualTo(99);
    }

    @Test
    void sharedForwardingKeyCostsOneOpenAndOneSealForAnyFanOut() throws Exception {
        start(RelayLimits.DEFAULTS);
        MediaKey roomKey = relay.newForwardingKey();
        TestPeer sender = join(roomKey);
        List<TestPeer> receivers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestPeer r = join(roomKey);
            registered(r);
            receivers.add(r);
        }
        registered(sender);
        RelayStats before = relay.stats();
        byte[] opus = {1, 2, 3, 4, 5, 6, 7};
        for (int seq = 0; seq < 10; seq++) {
            sender.media(7, seq, seq == 9, opus);
        }
        sender.barrier();
        RelayStats after = relay.stats();
        assertThat(after.forwarded() - before.forwarded()).isEqualTo(50);
        assertThat(after.opens() - before.opens()).isEqualTo(11);  // 10 media + 1 barrier ping
        assertThat(after.seals() - before.seals()).isEqualTo(11);  // one seal per media packet + 1 pong
        byte[] firstRaw = null;
        for (TestPeer r : receivers) {
            List<TestPeer.Received> got = r.drainMedia();
            assertThat(got).hasSize(10);
            for (int seq = 0; seq < 10; seq++) {
                TestPeer.Received m = got.get(seq);
                assertThat(m.mediaId()).isEqualTo(7);
                assertThat(m.sequence()).isEqualTo(seq);
                assertThat(m.timestamp()).isEqualTo(seq * 1800);
                assertThat(m.flags()).isEqualTo(seq == 9 ? MediaWire.FLAG_END_OF_TALK : 0);
                assertThat(m.body()).containsExactly(opus);
            }
            if (firstRaw == null) {
                firstRaw = got.get(0).raw();
            } else {
                assertThat(got.get(0).raw()).as("identical bytes to every receiver").isEqualTo(firstRaw);
            }
        }
        assertThat(session(receivers.get(0)).stats().datagramsOut()).isEqualTo(11); // hello ack + 10
    }

    @Test
    void perReceiverKeysCostOneSealPerReceiver() throws Exception {
        start(RelayLimits.DEFAULTS);
        TestPeer sender = join(null);
        List<TestPeer> receivers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestPeer r = join(null);
            registered(r);
            receivers.add(r);
        }
        registered(sender);
        RelayStats before = relay.stats();
        sender.media(1, 0, false, new byte[] {9, 9});
        sender.barrier();
        RelayStats after = relay.stats();
        assertThat(after.seals() - before.seals()).isEqualTo(3 + 1);
        for (TestPeer r : receivers) {
            List<TestPeer.Received> got = r.drainMedia();
            assertThat(got).hasSize(1);
            assertThat(got.get(0).keyId()).isEqualTo(r.keys.downlink().id());
            assertThat(got.get(0).body()).containsExactly(9, 9);
        }
    }

    /**
     * The first re-seal of a packet overwrites the received datagram's own buffer and forwards it;
     * later distinct keys seal into new buffers. Mixed keys, both socket transports.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void receivedBufferIsResealedInPlaceAndLaterKeysGetTheirOwn(boolean nativeTransport) throws Exception {
        start(RelayLimits.DEFAULTS, nativeTransport);
        MediaKey roomKey = relay.newForwardingKey();
        TestPeer sender = join(roomKey);
        List<TestPeer> receivers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TestPeer r = join(i == 2 ? null : roomKey); // one receiver with a key of its own
            registered(r);
            receivers.add(r);
        }
        registered(sender);
        RelayStats before = relay.stats();
        for (int seq = 0; seq < 20; seq++) {
            byte[] opus = new byte[20 + seq];
            Arrays.fill(opus, (byte) seq);
            sender.media(3, seq, false, opus);
        }
        sender.barrier();
        RelayStats after = relay.stats();
        assertThat(after.seals() - before.seals()).isEqualTo(20 * 2 + 1); // room key + own key, + pong
        assertThat(after.forwarded() - before.forwarded()).isEqualTo(80);
        List<List<TestPeer.Received>> got = new ArrayList<>();
        for (TestPeer r : receivers) {
            List<TestPeer.Received> media = r.drainMedia();
            assertThat(media).hasSize(20);
            for (int seq = 0; seq < 20; seq++) {
                byte[] opus = new byte[20 + seq];
                Arrays.fill(opus, (byte) seq);
                assertThat(media.get(seq).keyId()).isEqualTo(r.keys.downlink().id());
                assertThat(media.get(seq).sequence()).isEqualTo(seq);
                assertThat(media.get(seq).body()).containsExactly(opus);
            }
            got.add(media);
        }
        for (int seq = 0; seq < 20; seq++) {
            assertThat(got.get(1).get(seq).raw()).isEqualTo(got.get(0).get(seq).raw());
            assertThat(got.get(3).get(seq).raw()).isEqualTo(got.get(0).get(seq).raw());
            assertThat(got.get(2).get(seq).raw()).isNotEqualTo(got.get(0).get(seq).raw());
        }
    }

    @Test
    void garbageForgedReplayedAndUnknownAreCountedAndHarmless() throws Exception {
        start(RelayLimits.DEFAULTS);
        MediaKey roomKey = relay.newForwardingKey();
        TestPeer a = join(roomKey);
        TestPeer b = join(roomKey);
        registered(a);
        registered(b);
        byte[] genuine = a.sealMedia(3, 0, 0, false, new byte[] {1, 2, 3});
        a.send(genuine);
        a.send(genuine); // replay
        byte[] forged = a.sealMedia(3, 1, 1800, false, new byte[] {4, 5, 6});
        forged[MediaWire.MEDIA_HEADER] ^= 0x55;
        a.send(forged);
        a.send(new byte[] {1, 2, 3}); // truncated
        a.send(new byte[1300]); // oversized
        byte[] badVersion = a.sealMedia(3, 2, 3600, false, new byte[] {7});
        badVersion[0] = 9;
        a.send(badVersion);
        byte[] unknownKey = a.sealMedia(3, 3, 5400, false, new byte[] {7});
        unknownKey[4] ^= 1;
        a.send(unknownKey);
        a.send(a.sealControl(MediaWire.TYPE_PONG, 0, 1)); // a type the relay never receives
        a.send(a.sealMedia(3, 4, 7200, false, new byte[] {8})); // genuine again
        a.barrier();

        Map<MediaDropReason, Long> drops = relay.stats().drops();
        assertThat(drops).containsEntry(MediaDropReason.REPLAYED, 1L)
                .containsEntry(MediaDropReason.AUTH_FAILED, 1L)
                .containsEntry(MediaDropReason.TRUNCATED, 1L)
                .containsEntry(MediaDropReason.OVERSIZED, 1L)
                .containsEntry(MediaDropReason.BAD_VERSION, 1L)
                .containsEntry(MediaDropReason.UNKNOWN_KEY, 1L)
                .containsEntry(MediaDropReason.UNEXPECTED_TYPE, 1L)
                .hasSize(7);
        assertThat(session(a).stats().drops()).containsOnlyKeys(MediaDropReason.REPLAYED, MediaDropReason.AUTH_FAILED);
        List<TestPeer.Received> got = b.drainMedia();
        assertThat(got).extracting(TestPeer.Received::sequence).containsExactly(0, 4);
    }

    @Test
    void tokenBucketLimitsEachMedia() throws Exception {
        start(RelayLimits.DEFAULTS);
        TestPeer a = join(null);
        TestPeer b = join(null);
        registered(a);
        registered(b);
        for (int seq = 0; seq < 101; seq++) {
            a.media(1, seq, false, new byte[] {1});
        }
        a.media(2, 0, false, new byte[] {1}); // another media has its own bucket
        a.barrier();
        assertThat(relay.stats().drops()).isEqualTo(Map.of(MediaDropReason.RATE_LIMITED, 1L));
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(20));
        a.media(1, 101, false, new byte[] {1});
        a.media(1, 102, false, new byte[] {1});
        a.barrier();
        assertThat(relay.stats().drops()).isEqualTo(Map.of(MediaDropReason.RATE_LIMITED, 2L));
        assertThat(b.drainMedia()).hasSize(100 + 1 + 1);
    }

    @Test
    void atMostFiveMediasPerPeer() throws Exception {
        start(RelayLimits.DEFAULTS);
        TestPeer a = join(null);
        TestPeer b = join(null);
        registered(a);
        registered(b);
        for (int media = 1; media <= 6; media++) {
            a.media(media, 0, false, new byte[] {1});
        }
        a.media(3, 1, false, new byte[] {1});
        a.barrier();
        assertThat(relay.stats().drops()).isEqualTo(Map.of(MediaDropReason.MEDIA_LIMIT, 1L));
        assertThat(b.drainMedia()).extracting(TestPeer.Received::mediaId).containsExactly(1, 2, 3, 4, 5, 3);
    }

    @Test
    void concurrentStreamsPerReceiverFreedByEndOfTalkOrIdleness() throws Exception {
        start(new RelayLimits(50, 100, 5, 2, Duration.ofMillis(500)));
        TestPeer a = join(null);
        TestPeer b = join(null);
        TestPeer c = join(null);
        TestPeer listener = join(null);
        for (TestPeer p : List.of(a, b, c, listener)) {
            registered(p);
        }
        RelaySession ls = session(listener);
        for (TestPeer p : List.of(a, b, c)) {
            overrides.put(session(p), List.of(ls));
        }
        a.media(1, 0, false, new byte[] {1});
        a.barrier();
        b.media(1, 0, false, new byte[] {2});
        b.barrier();
        c.media(1, 0, false, new byte[] {3}); // third stream: dropped
        c.barrier();
        a.media(1, 1, true, new byte[] {1}); // end of talk frees a's slot
        a.barrier();
        c.media(1, 1, false, new byte[] {3});
        c.barrier();
        a.media(1, 2, false, new byte[] {1}); // a comes back: both slots busy (b, c)
        a.barrier();
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(501)); // b and c idle out
        a.media(1, 3, false, new byte[] {1});
        a.barrier();
        assertThat(listener.drainMedia()).extracting(r -> r.body()[0] + ":" + r.sequence())
                .containsExactly("1:0", "2:0", "1:1", "3:1", "1:3");
        assertThat(ls.stats().drops()).isEqualTo(Map.of(MediaDropReason.STREAM_LIMIT, 2L));
    }

    @Test
    void noRouteAndUnregisteredReceiversAreCounted() throws Exception {
        start(RelayLimits.DEFAULTS);
        TestPeer a = join(null);
        TestPeer silent = join(null); // never says hello
        registered(a);
        a.media(1, 0, false, new byte[] {1});
        a.barrier();
        overrides.put(session(a), List.of());
        a.media(1, 1, false, new byte[] {1});
        a.barrier();
        assertThat(relay.stats().drops()).isEqualTo(Map.of(MediaDropReason.NOT_REGISTERED, 1L, MediaDropReason.NO_ROUTE, 1L));
        assertThat(session(silent).stats().drops()).isEqualTo(Map.of(MediaDropReason.NOT_REGISTERED, 1L));
    }

    @Test
    void tunnelCarriesBothDirectionsAndUdpTakesOverAgainOnANonProbeDatagram() throws Exception {
        start(RelayLimits.DEFAULTS);
        MediaKey roomKey = relay.newForwardingKey();
        TestPeer talker = join(roomKey);
        TestPeer tunnelled = join(roomKey);
        registered(talker);
        RelaySession ts = session(tunnelled);
        LinkedBlockingQueue<byte[]> downlink = new LinkedBlockingQueue<>();
        ts.attachTunnel(buf -> {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            buf.release();
            return downlink.add(b);
        });
        ts.receiveTunneled(Unpooled.wrappedBuffer(tunnelled.sealControl(MediaWire.TYPE_HELLO, 0, 5)));
        byte[] ack = downlink.poll(5, TimeUnit.SECONDS);
        assertThat(ack).isNotNull();
        assertThat(MediaWire.type(ack)).isEqualTo(MediaWire.TYPE_HELLO_ACK);
        assertThat(ts.stats().path()).isEqualTo(MediaPath.TUNNEL);
        assertThat(ts.stats().udpAddress()).isNull();

        talker.media(1, 0, false, new byte[] {42});
        byte[] media = downlink.poll(5, TimeUnit.SECONDS);
        assertThat(media).isNotNull();
        assertThat(MediaWire.sequence(media)).isZero();

        // media from the tunnelled client reaches the UDP talker
        ts.receiveTunneled(Unpooled.wrappedBuffer(tunnelled.sealMedia(2, 0, 0, false, new byte[] {43})));
        TestPeer.Received heard = talker.await(5000);
        assertThat(heard.body()).containsExactly(43);

        // a UDP probe registers the address and is answered over UDP, but keeps the tunnel
        tunnelled.ping(6, true);
        TestPeer.Received probePong = tunnelled.await(5000);
        assertThat(probePong.flags()).isEqualTo(MediaWire.FLAG_PROBE);
        assertThat(ts.stats().path()).isEqualTo(MediaPath.TUNNEL);
        assertThat(ts.stats().udpAddress()).isEqualTo(tunnelled.localAddress());
        // a non-probe UDP datagram switches the downlink back to UDP
        tunnelled.barrier();
        assertThat(ts.stats().path()).isEqualTo(MediaPath.UDP);
        talker.media(1, 1, false, new byte[] {44});
        TestPeer.Received viaUdp = tunnelled.await(5000);
        assertThat(viaUdp.sequence()).isEqualTo(1);
        assertThat(downlink).isEmpty();

        // a datagram of another session through this tunnel is refused
        ByteBuf foreign = Unpooled.wrappedBuffer(talker.sealMedia(1, 2, 0, false, new byte[] {1}));
        ts.receiveTunneled(foreign);
        // tunnelled datagrams are handled in order: once this probe's pong is back, the foreign one was handled
        ts.receiveTunneled(Unpooled.wrappedBuffer(tunnelled.sealControl(MediaWire.TYPE_PING, MediaWire.FLAG_PROBE, 77)));
        byte[] pong = downlink.poll(5, TimeUnit.SECONDS);
        assertThat(pong).isNotNull();
        assertThat(MediaWire.type(pong)).isEqualTo(MediaWire.TYPE_PONG);
        assertThat(ts.stats().drops()).isEqualTo(Map.of(MediaDropReason.UNKNOWN_KEY, 1L));
        assertThat(foreign.refCnt()).isZero();
    }

    @Test
    void closedSessionsAreUnknownAndDisposeReleasesThePort() throws Exception {
        start(RelayLimits.DEFAULTS);
        TestPeer a = join(null);
        TestPeer b = join(null);
        registered(a);
        registered(b);
        session(a).close();
        session(a).close();
        a.hello(2);
        b.barrier();
        assertThat(relay.stats().drops()).isEqualTo(Map.of(MediaDropReason.UNKNOWN_KEY, 1L));
        assertThat(relay.stats().sessions()).isEqualTo(1);

        int port = relay.address().getPort();
        relay.dispose();
        relay.dispose();
        assertThat(relay.isDisposed()).isTrue();
        assertThat(session(b).isClosed()).isTrue();
        assertThatThrownBy(() -> relay.openSession(null, null)).isInstanceOf(IllegalStateException.class);
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("odin-relay") && t.isAlive());
    }

    @Test
    void onlyAuthenticatedDatagramsMoveAClientsAddress() throws Exception {
        start(RelayLimits.DEFAULTS);
        TestPeer a = join(null);
        registered(a);
        RelaySession sa = session(a);
        // an attacker who knows the session id but not the key, from another socket
        try (TestPeer attacker = new TestPeer(sa, relay.address())) {
            for (int i = 0; i < 50; i++) {
                attacker.sealer.nextPacketNumber(); // a fresh packet number, so only the tag can fail
            }
            byte[] forged = attacker.sealControl(MediaWire.TYPE_HELLO, 0, 1);
            forged[MediaWire.COMMON_HEADER] ^= 1;
            attacker.send(forged);
            a.barrier();
            assertThat(sa.stats().udpAddress()).isEqualTo(a.localAddress());
            assertThat(sa.stats().drops()).isEqualTo(Map.of(MediaDropReason.AUTH_FAILED, 1L));
        }
        // the real client after a NAT rebinding: same keys, new socket, fresh packet numbers
        try (TestPeer moved = new TestPeer(sa, relay.address())) {
            for (int i = 0; i < 100; i++) {
                moved.sealer.nextPacketNumber();
            }
            moved.hello(3);
            assertThat(moved.await(5000).type()).isEqualTo(MediaWire.TYPE_HELLO_ACK);
            assertThat(sa.stats().udpAddress()).isEqualTo(moved.localAddress());
        }
    }

    @Test
    void foreignForwardingKeyIsRejected() {
        start(RelayLimits.DEFAULTS);
        MediaKey notOurs = MediaKey.random(1, new java.security.SecureRandom());
        assertThatThrownBy(() -> relay.openSession(null, notOurs)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Arrays.asList(relay.isNative(), !relay.isNative())).contains(true);
    }
}
