package dev.odinreactive.it.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code room.mix()} over the real transport: one frame per 20 ms of wall clock whether zero, one
 * or two medias play (so a recording of the mix has the wall-clock length), following medias as
 * they are added and removed; {@code mix(medias)} only mixes the chosen ones.
 */
class RoomMixIT extends MediaItSupport {

    @Test
    void mixKeepsItsClockWithZeroOneAndSeveralMediasAndFollowsThem() throws Exception {
        startServer();
        OdinClient client = client();
        Room listener = join(client, "mix", "listener");
        Room alice = join(client, "mix", "alice");
        Room bob = join(client, "mix", "bob");
        Listener events = listen(listener);

        List<float[]> mixed = Collections.synchronizedList(new ArrayList<>());
        long[] latestAt = {0};
        List<float[]> onlyBob = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch mixDone = new CountDownLatch(1);
        long[] firstAt = {0};
        long subscribedAt = System.nanoTime();
        toDispose.add(listener.mix().subscribe(f -> {
            if (firstAt[0] == 0) {
                firstAt[0] = System.nanoTime();
            }
            mixed.add(f);
            latestAt[0] = System.nanoTime();
        }, e -> mixDone.countDown(), mixDone::countDown));

        // zero medias: the clock runs anyway (silence)
        until(() -> mixed.size() >= 25);
        assertThat(Tones.rms(Tones.concat(new ArrayList<>(mixed)))).isZero();

        // one media, then a second one overlapping it
        LocalMedia aliceVoice = LocalMedia.paced(AudioFormat.OPUS_MONO, Tones.tone(AudioFormat.OPUS_MONO, 400, 2.0, 960));
        alice.addMedia(aliceVoice).block(WAIT);
        int aliceId = aliceVoice.id(); // 0 once the media ended
        events.await(RoomEvent.MediaAdded.class, a -> a.mediaId() == aliceId);
        LocalMedia bobVoice = LocalMedia.paced(AudioFormat.OPUS_MONO, Tones.tone(AudioFormat.OPUS_MONO, 700, 2.0, 960));
        bob.addMedia(bobVoice).block(WAIT);
        int bobId = bobVoice.id();
        RoomEvent.MediaAdded bobAdded = events.await(RoomEvent.MediaAdded.class, a -> a.mediaId() == bobId);
        toDispose.add(listener.mix(List.of(bobAdded.media())).subscribe(onlyBob::add));

        events.await(RoomEvent.MediaRemoved.class, e -> e.mediaId() == aliceId, AUDIO_WAIT);
        events.await(RoomEvent.MediaRemoved.class, e -> e.mediaId() == bobId, AUDIO_WAIT);
        events.awaitFramesComplete(aliceId);
        events.awaitFramesComplete(bobId);
        // zero medias again: the mix goes on
        int afterRemoval = mixed.size();
        until(() -> mixed.size() >= afterRemoval + 25);
        // clocked: frame i is emitted 20 (i + 1) ms after subscribing. A loaded machine may hold the playout
        // thread back for a while (the fixed-rate clock then catches up), but a lost or an extra
        // frame would shift every later one for good: the lag of the latest frame returns near zero
        until(() -> {
            synchronized (mixed) {
                // frame i is due 20 (i + 1) ms after the subscription
                double lagMs = (latestAt[0] - subscribedAt) / 1e6 - 20.0 * mixed.size();
                return Math.abs(lagMs) < 60;
            }
        });
        List<float[]> all = new ArrayList<>(mixed);
        System.out.printf("RoomMixIT: %d mix frames, first after %.1f ms; listener stats %s%n", all.size(),
                (firstAt[0] - subscribedAt) / 1e6, events.medias.values().stream().map(m -> m.stats().toString()).toList());
        assertThat((firstAt[0] - subscribedAt) / 1e6).as("first frame after a period (and load)").isLessThan(1000);
        assertThat(all).allSatisfy(f -> assertThat(f).hasSize(960));
        // the mix followed the medias: both tones heard, and silence again at the end
        float[] sound = Tones.concat(Tones.sounding(all));
        assertThat(Tones.power(sound, 400, 48_000)).isGreaterThan(0);
        double[] top = Tones.strongest(sound, 48_000, new double[] {300, 400, 500, 600, 700, 800});
        assertThat(top[0]).isIn(400.0, 700.0);
        assertThat(Tones.power(sound, 700, 48_000) / Tones.power(sound, 500, 48_000)).isGreaterThan(10);
        assertThat(Tones.power(sound, 400, 48_000) / Tones.power(sound, 500, 48_000)).isGreaterThan(10);
        assertThat(Tones.rms(Tones.concat(all.subList(all.size() - 20, all.size())))).isZero();
        // mix(chosen): only bob's tone
        float[] bobOnly = Tones.concat(Tones.sounding(new ArrayList<>(onlyBob)));
        assertThat(Tones.strongest(bobOnly, 48_000, new double[] {400, 700})[0]).isEqualTo(700.0);
        assertThat(Tones.power(bobOnly, 700, 48_000) / Tones.power(bobOnly, 400, 48_000)).isGreaterThan(10);

        listener.close().block(WAIT);
        assertThat(mixDone.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("mix completes when the room closes").isTrue();
    }
}
