package dev.odinreactive.it.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.RemoteMediaStats;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoPeersHearEachOtherIT extends MediaItSupport {

    @Test
    void eachPeerHearsTheOthersToneThroughTheRelay() throws Exception {
        startServer();
        OdinClient client = client();
        Room alice = join(client, "duo", "alice");
        Room bob = join(client, "duo", "bob");
        Listener atAlice = listen(alice);
        Listener atBob = listen(bob);

        // different formats and odd chunk sizes on purpose: resampling and re-framing on the way
        LocalMedia aliceVoice = LocalMedia.paced(AudioFormat.of(44_100, 2), Tones.tone(AudioFormat.of(44_100, 2), 400, 3.0, 333));
        LocalMedia bobVoice = LocalMedia.paced(AudioFormat.of(16_000, 1), Tones.tone(AudioFormat.of(16_000, 1), 700, 3.0, 157));
        alice.addMedia(aliceVoice).block(WAIT);
        bob.addMedia(bobVoice).block(WAIT);
        int aliceMedia = aliceVoice.id();
        int bobMedia = bobVoice.id();

        RoomEvent.MediaAdded atBobAdded = atBob.await(RoomEvent.MediaAdded.class, a -> a.peerId() == alice.ownPeerId());
        RoomEvent.MediaAdded atAliceAdded = atAlice.await(RoomEvent.MediaAdded.class, a -> a.peerId() == bob.ownPeerId());
        assertThat(atBobAdded.mediaId()).isEqualTo(aliceMedia);
        assertThat(atBobAdded.media().peerId()).isEqualTo(alice.ownPeerId());

        atBob.await(RoomEvent.MediaRemoved.class, e -> e.mediaId() == aliceMedia, AUDIO_WAIT);
        atAlice.await(RoomEvent.MediaRemoved.class, e -> e.mediaId() == bobMedia, AUDIO_WAIT);
        atAlice.await(RoomEvent.MediaActiveStateChanged.class, e -> e.mediaId() == aliceMedia && !e.active()
                && e.peerId() == alice.ownPeerId());
        atBob.await(RoomEvent.MediaActiveStateChanged.class, e -> e.mediaId() == aliceMedia && e.active());
        atBob.await(RoomEvent.MediaActiveStateChanged.class, e -> e.mediaId() == aliceMedia && !e.active());
        // active states alternate true/false, end with false, and MediaRemoved comes last (no event
        // of a removed media, even when MediaRemoved overtook the last datagrams)
        List<RoomEvent> aliceAtBob = atBob.events.stream()
                .filter(e -> e instanceof RoomEvent.MediaActiveStateChanged c && c.peerId() == alice.ownPeerId()
                        && c.mediaId() == aliceMedia || e instanceof RoomEvent.MediaRemoved r && r.mediaId() == aliceMedia)
                .toList();
        assertThat(aliceAtBob).last().isEqualTo(new RoomEvent.MediaRemoved(alice.ownPeerId(), aliceMedia));
        assertThat(aliceAtBob.size()).as("active-state changes: %s", aliceAtBob).isOdd().isGreaterThanOrEqualTo(3);
        for (int i = 0; i < aliceAtBob.size() - 1; i++) {
            assertThat(aliceAtBob.get(i)).as("event %d of %s", i, aliceAtBob)
                    .isEqualTo(new RoomEvent.MediaActiveStateChanged(alice.ownPeerId(), aliceMedia, i % 2 == 0));
        }
        // the tail still in the jitter buffer or in flight plays out before the frames complete
        atBob.awaitFramesComplete(aliceMedia);
        atAlice.awaitFramesComplete(bobMedia);

        assertHears(atBob.frames(aliceMedia), 400);
        assertHears(atAlice.frames(bobMedia), 700);

        RemoteMediaStats stats = atBobAdded.media().stats();
        assertThat(stats.packetsTotal()).isEqualTo(aliceVoice.stats().packetsSent());
        // nothing vanished on loopback: every sequence gap is a packet that came too late for its slot
        // (a loaded machine delays the sender; such packets count as lost and too late)
        assertThat(stats.packetsLost()).as("%s", stats).isLessThanOrEqualTo(stats.packetsArrivedTooLate());
        assertThat(alice.mediaStats().mediaPacketsSent()).isEqualTo(aliceVoice.stats().packetsSent());
        assertThat(alice.stats().datagramsOut()).isGreaterThan(90);
        assertThat(bob.stats().datagramsIn()).isGreaterThan(90);
        // the relay's counters reach the server's meter registry (scraped at /metrics)
        io.micrometer.core.instrument.MeterRegistry metrics = server.meterRegistry();
        assertThat(metrics.get("odin.relay.forwarded").functionCounter().count())
                .isEqualTo(aliceVoice.stats().packetsSent() + bobVoice.stats().packetsSent());
        assertThat(metrics.get("odin.relay.aead").tag("op", "open").functionCounter().count())
                .isGreaterThanOrEqualTo(aliceVoice.stats().packetsSent() + bobVoice.stats().packetsSent());
        assertThat(metrics.get("odin.relay.sessions").gauge().value()).isEqualTo(2);
    }

    static void assertHears(List<float[]> frames, double hz) {
        List<float[]> sounding = Tones.sounding(frames);
        // 150 frames sent; on a loaded machine (load ~30 on 2 cores) the senders fall behind real time
        // and burst, and the jitter buffer drops what exceeds its 200 ms bound: ~50 heard there
        assertThat(sounding.size()).as("20 ms frames with sound").isGreaterThan(25);
        float[] heard = Tones.concat(sounding);
        double[] peak = Tones.strongest(heard, 48_000, new double[] {300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200});
        assertThat(peak[0]).as("strongest tone").isEqualTo(hz);
        assertThat(peak[1]).as("dominance over other tones").isGreaterThan(10);
        assertThat(Tones.rms(heard)).as("level").isBetween(0.02, 0.4);
    }
}
