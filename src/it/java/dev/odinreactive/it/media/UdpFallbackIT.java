package dev.odinreactive.it.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.protocol.media.MediaPath;
import dev.odinreactive.protocol.media.MediaTransportStats;
import dev.odinreactive.server.ServerConfig;
import org.junit.jupiter.api.Test;

/** Blocked UDP → media over the control WebSocket → UDP again, while a peer keeps talking. */
class UdpFallbackIT extends MediaItSupport {

    @Test
    void mediaFallsBackToTheWebSocketAndReturnsToUdp() throws Exception {
        startServer(ServerConfig.defaults()); // to learn the port
        int serverPort = server.address().getPort();
        server.disposeNow(WAIT);
        try (BlockingProxy proxy = new BlockingProxy(serverPort)) {
            // clients reach the server through the proxy: gateway answers its address, SetupMedia its port
            startServer(ServerConfig.defaults()
                    .withHttp(ServerConfig.Http.defaults().withBinding("127.0.0.1", serverPort))
                    .withPublicAddress("127.0.0.1:" + proxy.port()));
            OdinClient client = client();
            Room alice = join(client, "fw", "alice");
            Room bob = join(client, "fw", "bob");
            Listener atBob = listen(bob);
            LocalMedia voice = LocalMedia.paced(AudioFormat.OPUS_MONO, Tones.tone(AudioFormat.OPUS_MONO, 440, 60, 960));
            alice.addMedia(voice).block(WAIT);
            RemoteMedia remote = atBob.await(RoomEvent.MediaAdded.class, a -> a.mediaId() == voice.id()).media();
            until(() -> remote.stats().packetsTotal() > 20);
            assertThat(alice.mediaStats().path()).isEqualTo(MediaPath.UDP);
            assertThat(proxy.udpForwarded.get()).isPositive();

            proxy.blockUdp(true);
            until(() -> alice.mediaStats().path() == MediaPath.TUNNEL && bob.mediaStats().path() == MediaPath.TUNNEL);
            long viaTunnel = remote.stats().packetsTotal();
            until(() -> remote.stats().packetsTotal() > viaTunnel + 25);
            MediaTransportStats bobTunnelled = bob.mediaStats();
            assertThat(bobTunnelled.tunnelDatagramsReceived()).isGreaterThan(25);
            assertThat(bobTunnelled.fallbacks()).isEqualTo(1);
            assertThat(proxy.udpDropped.get()).isPositive();

            long lostBeforeReturn = remote.stats().packetsLost();
            long lateBeforeReturn = remote.stats().packetsArrivedTooLate();
            proxy.blockUdp(false);
            until(() -> alice.mediaStats().path() == MediaPath.UDP && bob.mediaStats().path() == MediaPath.UDP);
            long back = bob.mediaStats().udpDatagramsReceived();
            until(() -> bob.mediaStats().udpDatagramsReceived() > back + 25);
            assertThat(bob.mediaStats().recoveries()).isEqualTo(1);
            // every sequence gap since is a packet that came too late for its slot (the path switch
            // reorders; a loaded machine delays), none vanished
            assertThat(remote.stats().packetsLost() - lostBeforeReturn).as("no packet lost switching back to UDP: %s",
                    remote.stats()).isLessThanOrEqualTo(remote.stats().packetsArrivedTooLate() - lateBeforeReturn);
            System.out.printf("fallback: %d packets lost while UDP was silently blocked (detection %s), 0 on return%n",
                    lostBeforeReturn, "2.5 s");
            voice.close().block(WAIT);
        }
    }
}
