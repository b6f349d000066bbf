package dev.odinreactive.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.audio.opus.OpusEncoder;
import dev.odinreactive.protocol.MediaInfo;
import dev.odinreactive.protocol.MediaSetup;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.PeerInfo;
import dev.odinreactive.protocol.media.MediaDropReason;
import dev.odinreactive.protocol.media.MediaKey;
import dev.odinreactive.protocol.media.MediaKeys;
import dev.odinreactive.protocol.media.internal.MediaAead;
import dev.odinreactive.protocol.media.internal.MediaWire;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A media packet for a media id the client does not know is dropped and counted as
 * {@link MediaDropReason#UNKNOWN_MEDIA} in {@link Room#mediaStats()}. A scripted control server
 * plus a scripted relay (a UDP socket on loopback that seals with the keys it handed out).
 */
class UnknownMediaTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int KNOWN_MEDIA = 8;
    private static final int UNKNOWN_MEDIA = 7;

    @Test
    void aPacketForAnUnknownMediaIsCountedAsADrop() throws Exception {
        SecureRandom random = new SecureRandom();
        MediaKeys keys = new MediaKeys(MediaKey.random(11, random), MediaKey.random(12, random));
        MediaAead uplinkOpener = MediaAead.opener(keys.uplink());
        MediaAead downlinkSealer = MediaAead.sealer(keys.downlink());
        try (ScriptedServer server = new ScriptedServer();
             DatagramSocket relay = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            OdinClient client = OdinClient.builder().build();
            try {
                relay.setSoTimeout((int) WAIT.toMillis());
                PeerInfo talker = new PeerInfo(2, "talker", new byte[0], List.of());
                server.script.put(Methods.JOIN_ROOM, (c, r) -> c.ok(r, ScriptedServer.snapshot(100, List.of(talker)).toWire()));
                server.script.put(Methods.SETUP_MEDIA, (c, r) -> c.ok(r, new MediaSetup(keys, relay.getLocalPort()).toWire()));
                Room room = client.room().join(server.url(), ScriptedServer.token()).block(WAIT);
                Mono<RemoteMedia> added = room.events().ofType(RoomEvent.MediaAdded.class).map(RoomEvent.MediaAdded::media)
                        .next().cache();
                added.subscribe();
                server.nextConn().notify(Methods.PEER_UPDATED, Map.of("kind", Methods.KIND_MEDIA_STARTED, "peer_id", 2L,
                        "media", new MediaInfo(KNOWN_MEDIA, Map.of(), false).toWire()));
                RemoteMedia known = added.block(WAIT);
                assertThat(known.id()).isEqualTo(KNOWN_MEDIA);
                Mono<float[]> firstFrame = known.frames().next().cache();
                firstFrame.subscribe();

                // the client's HELLO; the answer (echoing its body, as the relay does) connects the transport
                DatagramPacket hello = new DatagramPacket(new byte[MediaWire.MAX_DATAGRAM], MediaWire.MAX_DATAGRAM);
                do {
                    relay.receive(hello);
                } while (MediaWire.type(hello.getData()) != MediaWire.TYPE_HELLO);
                SocketAddress clientAddress = hello.getSocketAddress();
                byte[] body = new byte[MediaWire.CONTROL_BODY];
                assertThat(uplinkOpener.open(hello.getData(), MediaWire.COMMON_HEADER, hello.getLength(), body, 0))
                        .isEqualTo(MediaWire.CONTROL_BODY);
                send(relay, clientAddress, helloAck(downlinkSealer, MediaWire.readLong(body, 0)));

                // on one socket, in order: a packet for an unknown media, then one for the known media
                byte[] opus;
                try (OpusEncoder encoder = new OpusEncoder(OpusConfig.defaults())) {
                    opus = encoder.encode(new float[960]);
                }
                send(relay, clientAddress, media(downlinkSealer, UNKNOWN_MEDIA, 0, opus));
                send(relay, clientAddress, media(downlinkSealer, KNOWN_MEDIA, 0, opus));
                // the known media plays from its first packet on, so the packet before it was handled by now
                assertThat(firstFrame.block(WAIT)).isNotNull();

                assertThat(room.mediaStats().drops()).isEqualTo(Map.of(MediaDropReason.UNKNOWN_MEDIA, 1L));
                assertThat(room.mediaStats().mediaPacketsReceived()).isEqualTo(2);
                assertThat(known.stats().packetsTotal()).isEqualTo(1);
            } finally {
                client.disposeLater().block(WAIT); // before the server, which would wait for the open WebSocket
            }
        }
    }

    private static void send(DatagramSocket socket, SocketAddress to, byte[] datagram) throws java.io.IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    private static byte[] helloAck(MediaAead sealer, long body) {
        byte[] src = new byte[MediaWire.COMMON_HEADER + MediaWire.CONTROL_BODY];
        MediaWire.writeCommonHeader(src, MediaWire.TYPE_HELLO_ACK, 0, sealer.keyId(), sealer.nextPacketNumber());
        MediaWire.writeLong(src, MediaWire.COMMON_HEADER, body);
        byte[] dst = new byte[MediaWire.CONTROL_DATAGRAM];
        sealer.seal(src, MediaWire.COMMON_HEADER, MediaWire.CONTROL_BODY, dst);
        return dst;
    }

    private static byte[] media(MediaAead sealer, int mediaId, int sequence, byte[] payload) {
        byte[] src = new byte[MediaWire.MEDIA_HEADER + payload.length];
        MediaWire.writeCommonHeader(src, MediaWire.TYPE_MEDIA, 0, sealer.keyId(), sealer.nextPacketNumber());
        MediaWire.writeMediaFields(src, mediaId, sequence, 0);
        System.arraycopy(payload, 0, src, MediaWire.MEDIA_HEADER, payload.length);
        byte[] dst = new byte[src.length + MediaWire.TAG];
        sealer.seal(src, MediaWire.MEDIA_HEADER, payload.length, dst);
        return dst;
    }
}
