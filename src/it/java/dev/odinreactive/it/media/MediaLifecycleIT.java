package dev.odinreactive.it.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import org.junit.jupiter.api.Test;

/** Pause/resume, stop/start, culling by position and leaving change what is heard, and events say so. */
class MediaLifecycleIT extends MediaItSupport {

    @Test
    void pauseResumeStopStartCullingAndLeaveChangeWhatIsHeard() throws Exception {
        startServer();
        OdinClient client = client();
        Room alice = join(client, "life", "alice");
        Room bob = join(client, "life", "bob");
        Listener atBob = listen(bob);

        LocalMedia voice = tone(500);
        alice.addMedia(voice).block(WAIT);
        int id = voice.id();
        RemoteMedia remote = atBob.await(RoomEvent.MediaAdded.class, a -> a.mediaId() == id).media();
        atBob.await(RoomEvent.MediaActiveStateChanged.class, e -> e.mediaId() == id && e.active(), AUDIO_WAIT);

        // pause (receiver side): forwarding stops, the stream times out, nothing arrives any more
        remote.pause().block(WAIT);
        atBob.await(RoomEvent.MediaActiveStateChanged.class, e -> e.mediaId() == id && !e.active(), AUDIO_WAIT);
        long received = remote.stats().packetsTotal();
        long sent = voice.stats().packetsSent();
        until(() -> voice.stats().packetsSent() > sent + 25);
        assertThat(remote.stats().packetsTotal()).as("packets while paused").isEqualTo(received);
        assertThat(voice.isActive()).as("the sender keeps talking").isTrue();

        // resume: packets flow again
        int before = atBob.events.size();
        remote.resume().block(WAIT);
        atBob.awaitAfter(before, RoomEvent.MediaActiveStateChanged.class, e -> e.mediaId() == id && e.active());
        until(() -> remote.stats().packetsTotal() > received + 10);

        // stop: MediaRemoved; start again: a new MediaAdded
        voice.close().block(WAIT);
        atBob.await(RoomEvent.MediaRemoved.class, e -> e.mediaId() == id);
        LocalMedia again = tone(600);
        alice.addMedia(again).block(WAIT);
        int id2 = again.id();
        atBob.await(RoomEvent.MediaAdded.class, a -> a.mediaId() == id2);
        atBob.await(RoomEvent.MediaActiveStateChanged.class, e -> e.mediaId() == id2 && e.active(), AUDIO_WAIT);

        // culling: out of range, the media goes (before its peer); back in range, it comes back
        alice.updatePosition(10, 0, 0).block(WAIT);
        atBob.await(RoomEvent.MediaRemoved.class, e -> e.mediaId() == id2);
        RoomEvent.PeerLeft gone = atBob.await(RoomEvent.PeerLeft.class, e -> e.peerId() == alice.ownPeerId());
        assertThat(atBob.events.indexOf(gone)).isGreaterThan(atBob.events.indexOf(
                atBob.await(RoomEvent.MediaRemoved.class, e -> e.mediaId() == id2)));
        before = atBob.events.size();
        alice.updatePosition(0, 0, 0).block(WAIT);
        RemoteMedia back = atBob.awaitAfter(before, RoomEvent.MediaAdded.class, a -> a.mediaId() == id2).media();
        until(() -> back.stats().packetsTotal() > 10);

        // leaving mid-stream: MediaRemoved, then PeerLeft
        before = atBob.events.size();
        long alicePeer = alice.ownPeerId();
        alice.close().block(WAIT);
        RoomEvent.MediaRemoved removed = atBob.awaitAfter(before, RoomEvent.MediaRemoved.class, e -> e.mediaId() == id2);
        RoomEvent.PeerLeft left = atBob.awaitAfter(before, RoomEvent.PeerLeft.class, e -> e.peerId() == alicePeer);
        assertThat(atBob.events.lastIndexOf(left)).as("PeerLeft after MediaRemoved").isGreaterThan(atBob.events.lastIndexOf(removed));
        assertThat(bob.remoteMedias()).isEmpty();
    }

    private static LocalMedia tone(double hz) {
        return LocalMedia.paced(AudioFormat.OPUS_MONO, Tones.tone(AudioFormat.OPUS_MONO, hz, 60, 960));
    }
}
