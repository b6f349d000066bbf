package dev.odinreactive.examples.bots;

import static dev.odinreactive.examples.bots.LoopbackRoom.FRAME;
import static dev.odinreactive.examples.bots.LoopbackRoom.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A peer that joins hears the announcer's clip: as much speech as the clip holds, with the clip's
 * long-term spectrum (the voice), correlated per band. The spectrum is compared rather than the
 * waveform or the loudness contour, because a starved machine stretches and chops the timing of
 * live audio but not its spectrum.
 */
class AnnouncerBotTest {

    /** Band centres, log-spaced 150 Hz – 6 kHz. */
    private static final double[] BANDS = IntStream.range(0, 24).mapToDouble(i -> 150 * Math.pow(40, i / 23.0)).toArray();
    private static final float SPEECH_RMS = 0.02f;

    @Test
    void aJoiningPeerHearsTheClip() {
        AudioClip clip = AnnouncerBot.welcome();
        assertThat(clip.format().sampleRate()).isEqualTo(48_000);
        assertThat(clip.seconds()).isBetween(2.5, 4.0);
        try (LoopbackRoom server = new LoopbackRoom()) {
            LoopbackRoom.warmUp();
            Room botRoom = server.join("announcer");
            AnnouncerBot bot = AnnouncerBot.start(botRoom, clip);
            Room carol = server.join("carol");

            // everything carol hears of the announcement, until that media ends; it may have been
            // announced before carol subscribed to events, then it is in carol's snapshot. The
            // snapshot is taken after the event subscription (firstWithValue subscribes in order),
            // so a media added in between cannot be missed by both
            long announcer = botRoom.ownPeerId();
            Mono<RemoteMedia> announced = carol.events().ofType(RoomEvent.MediaAdded.class)
                    .filter(m -> m.peerId() == announcer).map(RoomEvent.MediaAdded::media).next();
            Mono<RemoteMedia> present = Mono.defer(() -> Mono.justOrEmpty(carol.remoteMedias().values().stream()
                    .filter(m -> m.peerId() == announcer).findFirst()));
            float[] heard = Mono.firstWithValue(announced, present)
                    .flatMap(m -> m.frames().collectList())
                    .map(LoopbackRoom::concat)
                    .block(WAIT.multipliedBy(3));

            int said = speechFrames(clip.samples());
            assertThat(speechFrames(heard)).as("speech frames heard vs %d in the clip", said).isBetween(said / 2, said * 3 / 2);
            double r = correlation(spectrum(clip.samples()), spectrum(heard));
            assertThat(r).as("long-term spectrum correlation with the clip").isGreaterThan(0.9);
            assertThat(correlation(spectrum(clip.samples()), spectrum(noise()))).as("noise is not the clip").isLessThan(0.5);
            assertThat(bot.announced()).isEqualTo(1);
            // carol heard the media end, so the room knew it ended; the bot forgot it before that
            assertThat(bot.playing()).as("announcements still held after they ended").isZero();
            bot.stop().block(WAIT);
        }
    }

    private static int speechFrames(float[] x) {
        return (int) IntStream.range(0, x.length / FRAME).filter(i -> LoopbackRoom.rms(x, i * FRAME, (i + 1) * FRAME) > SPEECH_RMS).count();
    }

    /** Mean power per band over the speech frames, in dB. */
    private static double[] spectrum(float[] x) {
        double[] sum = new double[BANDS.length];
        for (int i = 0; i < x.length / FRAME; i++) {
            if (LoopbackRoom.rms(x, i * FRAME, (i + 1) * FRAME) > SPEECH_RMS) {
                float[] frame = java.util.Arrays.copyOfRange(x, i * FRAME, (i + 1) * FRAME);
                for (int b = 0; b < BANDS.length; b++) {
                    sum[b] += LoopbackRoom.power(frame, BANDS[b]);
                }
            }
        }
        for (int b = 0; b < sum.length; b++) {
            sum[b] = 10 * Math.log10(sum[b] + 1e-12);
        }
        return sum;
    }

    private static float[] noise() {
        java.util.Random random = new java.util.Random(7);
        float[] x = new float[48_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.1 * random.nextGaussian());
        }
        return x;
    }

    /** Pearson correlation. */
    private static double correlation(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElse(0);
        double mb = java.util.Arrays.stream(b).average().orElse(0);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
}
