package dev.odinreactive.audio.apm.internal;

import static dev.odinreactive.audio.apm.Signals.add;
import static dev.odinreactive.audio.apm.Signals.noise;
import static dev.odinreactive.audio.apm.Signals.voicedAtActiveLevel;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NoiseSuppressorStageTest {
    private static final int FS = 48000;
    private static final int B = Stage.BLOCK;

    @Test
    void attenuatesStationaryNoiseToTheLevelsFloorAndNoFurther() {
        for (float maxDb : new float[] {9f, 15f, 25f}) {
            float[] n = noise(11, -40, FS * 4);
            float[] y = run(new NoiseSuppressorStage(maxDb), n);
            double att = db(power(n, FS * 2, FS * 4 - B) / power(y, FS * 2 + B, FS * 4));
            assertThat(att).as("attenuation at floor %s dB", maxDb).isBetween(maxDb - 2.5, maxDb + 0.5);
        }
    }

    @Test
    void attenuatesSubVoiceRumbleBeyondTheFloor() {
        float[] x = new float[FS * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.05 * Math.sin(2 * Math.PI * 30 * i / FS));
        }
        x = add(x, noise(17, -70, x.length));
        float[] y = run(new NoiseSuppressorStage(15f), x);
        double att = db(power(x, FS * 2, FS * 4 - B) / power(y, FS * 2 + B, FS * 4));
        assertThat(att).isGreaterThan(20);
    }

    @Test
    void nearCleanSpeechPassesNearlyUntouched() {
        float[] speech = voicedAtActiveLevel(-26, FS * 6);
        float[] x = add(speech, noise(5, -76, FS * 6));
        float[] y = run(new NoiseSuppressorStage(15f), x);
        // error of the output against the (one block earlier) input, over the voiced parts after 1 s
        double sig = 0;
        double err = 0;
        for (int i = FS; i < x.length - B; i++) {
            if (Math.abs(speech[i]) > 1e-3) {
                sig += (double) x[i] * x[i];
                double e = y[i + B] - x[i];
                err += e * e;
            }
        }
        assertThat(db(sig / err)).isGreaterThan(25);
    }

    @Test
    void keepsSpeechInModerateNoise() {
        float[] speech = voicedAtActiveLevel(-26, FS * 6);
        float[] n = noise(7, -46, FS * 6);
        float[] y = run(new NoiseSuppressorStage(15f), add(speech, n));
        double sig = 0;
        double err = 0;
        for (int i = FS; i < speech.length - B; i++) {
            sig += (double) speech[i] * speech[i];
            double e = y[i + B] - speech[i];
            err += e * e;
        }
        // input SNR is 20 dB overall: the output must be closer to the clean speech
        assertThat(db(sig / err)).isGreaterThan(db(power(speech, FS, speech.length) / power(n, FS, n.length)) + 2);
    }

    @Test
    void survivesDigitalSilenceAndFullScale() {
        NoiseSuppressorStage s = new NoiseSuppressorStage(25f);
        Random r = new Random(3);
        float[] block = new float[B];
        for (int f = 0; f < 600; f++) {
            int phase = f / 100;   // silence, full-scale square, silence, full-scale noise, tiny, silence
            for (int i = 0; i < B; i++) {
                block[i] = switch (phase) {
                    case 1 -> (i / 24) % 2 == 0 ? 1f : -1f;
                    case 3 -> r.nextBoolean() ? 1f : -1f;
                    case 4 -> (float) (1e-12 * r.nextGaussian());
                    default -> 0f;
                };
            }
            s.process(block);
            for (float v : block) {
                assertThat(Float.isFinite(v)).isTrue();
                // gains <= 1 per bin may still reshape a square wave's peaks, but never blow up
                assertThat(Math.abs(v)).isLessThan(4f);
                assertThat(v == 0f || Math.abs(v) >= Float.MIN_NORMAL).as("denormal at block %d", f).isTrue();
            }
        }
        // after all that it still suppresses noise
        float[] n = noise(9, -40, FS * 6);
        float[] y = run(s, n);
        assertThat(db(power(n, FS * 4, FS * 6 - B) / power(y, FS * 4 + B, FS * 6))).isGreaterThan(18);
    }

    @Test
    void levelChangeMidStreamMovesTheFloorWithoutOvershoot() {
        NoiseSuppressorStage s = new NoiseSuppressorStage(9f);
        float[] n = noise(13, -40, FS * 6);
        float[] y = new float[n.length];
        float[] block = new float[B];
        for (int f = 0; f < n.length / B; f++) {
            if (f == 300) {
                s.setMaxAttenuationDb(25f);
            }
            System.arraycopy(n, f * B, block, 0, B);
            s.process(block);
            System.arraycopy(block, 0, y, f * B, B);
        }
        double before = power(y, FS * 2, FS * 3);
        double after = power(y, FS * 4, FS * 6);
        assertThat(db(before / after)).isBetween(12.0, 18.0);
        // the blocks around the switch never exceed the level before it
        for (int f = 295; f < 310; f++) {
            assertThat(db(power(y, f * B, (f + 1) * B) / before)).isLessThan(2.0);
        }
    }

    private static float[] run(NoiseSuppressorStage s, float[] x) {
        float[] y = new float[x.length];
        float[] block = new float[B];
        for (int f = 0; f + B <= x.length; f += B) {
            System.arraycopy(x, f, block, 0, B);
            s.process(block);
            System.arraycopy(block, 0, y, f, B);
        }
        return y;
    }

    static double power(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return s / (to - from) + 1e-30;
    }

    static double db(double ratio) {
        return 10 * Math.log10(ratio);
    }
}
