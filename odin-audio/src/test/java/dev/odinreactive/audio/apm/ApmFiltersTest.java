package dev.odinreactive.audio.apm;

import static dev.odinreactive.audio.apm.Signals.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class ApmFiltersTest {

    private static float[] run(float[] x, java.util.function.Function<Flux<float[]>, Flux<float[]>> op) {
        List<float[]> out = frames(x, F).transform(op).collectList().block();
        assertThat(out).hasSize(x.length / F);
        return join(out);
    }

    private static double gainDb(float[] in, float[] out) {
        int from = FS / 2;   // skip the filter's start
        return db(power(out, from, in.length)) - db(power(in, from, in.length));
    }

    @Test
    void highPassRemoves50HzAndKeeps1kHz() {
        float[] hum = sine(50, -20, FS * 2);
        float[] tone = sine(1000, -20, FS * 2);
        assertThat(gainDb(hum, run(hum, Apm.highPass()))).isLessThan(-12.9);
        assertThat(gainDb(tone, run(tone, Apm.highPass()))).isBetween(-0.1, 0.1);
    }

    @Test
    void noiseSuppressorAttenuatesSteadyNoiseButKeepsSpeech() {
        float[] n = noise(1, -40, FS * 3);
        float[] out = run(n, Apm.noiseSuppressor(NoiseSuppressionLevel.MODERATE));
        assertThat(gainDb(n, out)).isLessThan(-10);
        float[] mix = add(noise(2, -50, FS * 3), voiced(-20, FS * 3));
        float[] kept = run(mix, Apm.noiseSuppressor(NoiseSuppressionLevel.MODERATE));
        assertThat(gainDb(mix, kept)).isGreaterThan(-1.0);
    }

    @Test
    void noiseSuppressionLevelsOrderTheirAttenuation() {
        float[] n = noise(3, -40, FS * 2);
        double low = gainDb(n, run(n, Apm.noiseSuppressor(NoiseSuppressionLevel.LOW)));
        double high = gainDb(n, run(n, Apm.noiseSuppressor(NoiseSuppressionLevel.VERY_HIGH)));
        assertThat(high).isLessThan(low - 6);
        float[] none = run(n, Apm.noiseSuppressor(NoiseSuppressionLevel.NONE));
        assertThat(none).containsExactly(n);
    }

    @Test
    void gainControllerLevelsQuietAndLoudTalkers() {
        float[] quiet = voiced(-45, FS * 8);
        float[] loud = voiced(-15, FS * 8);
        double q = db(power(run(quiet, Apm.gainController()), FS * 6, FS * 8));
        double l = db(power(run(loud, Apm.gainController()), FS * 6, FS * 8));
        assertThat(Math.abs(q - l)).isLessThan(1.0);
        assertThat(q).isBetween(-30.0, -20.0);
    }

    @Test
    void gainControllerDoesNotBlastATalkerAfterALongQuietStretch() {
        // a quiet talker sets a high gain, 6 s of near silence (an echo canceller's residual)
        // keep it there; then a normal talker starts: within 50-300 ms the gain must be down
        float[] x = concat(voiced(-50, FS), noise(3, -85, FS * 6), voiced(-26, FS * 2));
        float[] y = run(x, Apm.gainController());
        int onset = FS * 7;
        double early = db(power(y, onset + FS / 20, onset + FS * 3 / 10));
        assertThat(early).as("output level just after the onset, dBFS").isBetween(-30.0, -16.0);
        assertThat(db(power(y, onset + FS, onset + FS * 2))).as("settled").isBetween(-27.0, -21.0);
    }

    @Test
    void gainControllerLimitsPeaks() {
        float[] hot = sine(300, -1, FS * 2);   // peaks above full scale after +3 dB
        float[] out = run(hot, Apm.gainController());
        for (float v : out) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(0.9f);
        }
    }

    @Test
    void preAmplifierBoostsAndNeverClips() {
        float[] x = sine(500, -30, FS);
        assertThat(gainDb(x, run(x, Apm.preAmplifier()))).isBetween(5.9, 6.1);
        float[] hot = sine(500, -3, FS);
        for (float v : run(hot, Apm.preAmplifier(20))) {
            assertThat(Math.abs(v)).isLessThan(1f);
        }
    }

    @Test
    void transientSuppressorCutsClicksAndKeepsSteadySound() {
        float[] x = noise(4, -70, FS * 2);
        java.util.Random r = new java.util.Random(5);
        int[] at = {FS / 2, FS, FS * 3 / 2};
        float[] clicks = new float[x.length];
        for (int c : at) {
            for (int i = 0; i < 600; i++) {
                clicks[c + i] = (float) (0.3 * Math.exp(-i / 120.0) * r.nextGaussian());
            }
        }
        float[] in = add(x, clicks);
        float[] out = run(in, Apm.transientSuppressor());
        int lag = 288;   // the stage's look-ahead
        double pin = 0, pout = 0;
        for (int c : at) {
            pin += power(in, c, c + 600);
            pout += power(out, c + lag, c + lag + 600);
        }
        assertThat(db(pin) - db(pout)).isGreaterThan(10);
        float[] tone = sine(440, -20, FS);
        float[] toneOut = run(tone, Apm.transientSuppressor());
        assertThat(db(power(toneOut, FS / 2, FS)) - db(power(tone, FS / 2, FS))).isBetween(-0.1, 0.1);
    }

    @Test
    void echoCancellerRemovesASyntheticEcho() {
        int n = FS * 6;
        float[] far = noise(6, -25, n);
        // echo path: 30 ms bulk delay, then a decaying random tail of 40 ms
        java.util.Random r = new java.util.Random(7);
        float[] h = new float[1440 + 1920];
        for (int i = 1440; i < h.length; i++) {
            h[i] = (float) (0.3 * Math.exp(-(i - 1440) / 400.0) * r.nextGaussian());
        }
        float[] mic = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 1440; k < h.length && k <= i; k += 1) {
                s += h[k] * far[i - k];
            }
            mic[i] = (float) s;
        }
        mic = add(mic, noise(8, -75, n));
        float[] out = runWithReverse(mic, far, java.time.Duration.ofMillis(30));
        double erle = db(power(mic, FS * 4, FS * 6)) - db(power(out, FS * 4, FS * 6));
        assertThat(erle).isGreaterThan(25);
    }

    /** Feeds the reverse stream in step with the capture frames, as a live pipeline would. */
    static float[] runWithReverse(float[] mic, float[] far, java.time.Duration delay) {
        reactor.core.publisher.Sinks.Many<float[]> reverse = reactor.core.publisher.Sinks.many().multicast().directBestEffort();
        int n = mic.length / F;
        Flux<float[]> capture = Flux.range(0, n).map(i -> {
            float[] f = new float[F];
            System.arraycopy(far, i * F, f, 0, F);
            reverse.tryEmitNext(f);
            float[] m = new float[F];
            System.arraycopy(mic, i * F, m, 0, F);
            return m;
        });
        List<float[]> out = capture.transform(Apm.echoCanceller(reverse.asFlux(), delay)).collectList().block();
        assertThat(out).hasSize(n);
        return join(out);
    }

    @Test
    void acceptsTwentyMillisecondFramesAndRefusesAFrameThatBreaksTheFirstFramesAlignment() {
        float[] x = sine(1000, -20, FS);
        List<float[]> out = frames(x, 960).transform(Apm.highPass()).collectList().block();
        assertThat(out).hasSize(50).allSatisfy(f -> assertThat(f).hasSize(960));
        // 480-sample alignment, then 500 samples: only 480 processed samples are ready
        StepVerifier.create(Flux.just(new float[480], new float[500]).transform(Apm.highPass()))
                .expectNextCount(1)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("500 samples"))
                .verify(java.time.Duration.ofSeconds(5));
    }

    @Test
    void operatorsNeverModifyTheirInput() {
        float[] frame = sine(1000, -20, F);
        float[] copy = frame.clone();
        Flux.just(frame).transform(Apm.highPass()).transform(Apm.noiseSuppressor(NoiseSuppressionLevel.HIGH))
                .blockLast();
        assertThat(frame).containsExactly(copy);
    }
}
