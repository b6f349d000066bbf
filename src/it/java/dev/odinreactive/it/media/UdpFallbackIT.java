package dev.odinreactive.it.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.RemoteMediaStats;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.protocol.media.MediaPath;
import dev.odinreactive.protocol.media.MediaTransportStats;
import org.junit.jupiter.api.Test;

/** Blocked UDP → media over the control WebSocket → UDP again, while a peer keeps talking. */
class UdpFallbackIT extends MediaItSupport {

    @Test
    void mediaFallsBackToTheWebSocketAndReturnsToUdp() throws Exception {
        BlockingProxy proxy = startServerBehindProxy();
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
        RemoteMediaStats end = remote.stats();
        long lostOnReturn = end.packetsLost() - lostBeforeReturn;
        long lateOnReturn = end.packetsArrivedTooLate() - lateBeforeReturn;
        assertThat(lostOnReturn).as("no packet lost switching back to UDP: %s", end).isLessThanOrEqualTo(lateOnReturn);
        System.out.printf("UdpFallbackIT: %d packets lost while UDP was silently blocked; %d lost (%d too late) after the return%n",
                lostBeforeReturn, lostOnReturn, lateOnReturn);
        voice.close().block(WAIT);
    }
}
