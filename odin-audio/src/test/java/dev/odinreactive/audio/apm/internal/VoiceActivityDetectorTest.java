package dev.odinreactive.audio.apm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.apm.Signals;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VoiceActivityDetectorTest {
    private static final int FS = 48000;
    private static final int F = Stage.BLOCK;

    @Test
    void staysQuietOnDigitalSilenceAndMicrophoneFloors() {
        for (double floorDb : new double[] {Double.NEGATIVE_INFINITY, -100, -76, -66}) {
            float[] p = run(noise(1, floorDb, 5 * FS, false));
            assertThat(max(p, 0, p.length)).as("floor %s dBFS", floorDb).isLessThan(0.2f);
        }
    }

    @Test
    void staysQuietOnSteadyNoiseOnceItKnowsIt() {
        for (double db : new double[] {-50, -35, -20}) {
            for (boolean brown : new boolean[] {false, true}) {
                float[] p = run(noise(2, db, 6 * FS, brown));
                assertThat(mean(p, 100, p.length)).as("%s noise at %s dBFS", brown ? "brown" : "white", db)
                        .isLessThan(0.2);
            }
        }
    }

    @Test
    void detectsVoicedSpeechOverFloorAndOverNoise() {
        for (double noiseDb : new double[] {-76, -46, -36}) {
            // 1 s noise, 2 s syllables at -26 dBFS over the same noise, 2 s noise
            float[] n = noise(3, noiseDb, 5 * FS, false);
            float[] v = Signals.voiced(-26, 2 * FS);
            for (int i = 0; i < v.length; i++) {
                n[FS + i] += v[i];
            }
            float[] p = run(n);
            assertThat(mean(p, 20, 95)).as("noise before, %s dBFS", noiseDb).isLessThan(0.2);
            assertThat(mean(p, 105, 295)).as("speech over %s dBFS", noiseDb).isGreaterThan(0.8);
            assertThat(mean(p, 360, 500)).as("noise after, %s dBFS", noiseDb).isLessThan(0.2);
        }
    }

    @Test
    void leadingDigitalSilenceChangesNothingAfterIt() {
        // a chain's delay lines hand the VAD zeros at start-up: they must not skew its floors
        float[] n = noise(4, -36, 4 * FS, false);
        float[] v = Signals.voiced(-26, 2 * FS);
        for (int i = 0; i < v.length; i++) {
            n[FS + i] += v[i];
        }
        int lead = 3 * F;
        float[] withZeros = new float[lead + n.length];
        System.arraycopy(n, 0, withZeros, lead, n.length);
        float[] plain = run(n);
        float[] zeros = run(withZeros);
        for (int f = 0; f < 3; f++) {
            assertThat(zeros[f]).isZero();
        }
        for (int f = 0; f < plain.length; f++) {
            assertThat(zeros[f + 3]).as("block %d", f).isEqualTo(plain[f]);
        }
    }

    @Test
    void shippedModelMatchesTheFeatures() {
        VadModel m = VadModel.standard();
        assertThat(m.inputs).isEqualTo(VadFeatures.COUNT);
        assertThat(m.hidden).isPositive();
        assertThat(m.attack).isBetween(0f, 1f);
        assertThat(m.release).isBetween(0f, 1f);
    }

    private static float[] run(float[] x) {
        VoiceActivityDetector vad = new VoiceActivityDetector();
        float[] block = new float[F];
        float[] p = new float[x.length / F];
        for (int f = 0; f < p.length; f++) {
            System.arraycopy(x, f * F, block, 0, F);
            p[f] = vad.analyse(block);
            assertThat(vad.probability()).isEqualTo(p[f]);
            assertThat(p[f]).isBetween(0f, 1f);
        }
        return p;
    }

    /** White (or brown: integrated, leaky) Gaussian noise at an RMS level; -inf gives zeros. */
    private static float[] noise(long seed, double dbfs, int samples, boolean brown) {
        Random r = new Random(seed);
        double[] x = new double[samples];
        double s = 0;
        for (int i = 0; i < samples; i++) {
            double g = r.nextGaussian();
            s = 0.995 * s + g;
            x[i] = brown ? s : g;
        }
        double p = 0;
        for (double v : x) {
            p += v * v;
        }
        double k = Double.isInfinite(dbfs) ? 0 : Math.pow(10, dbfs / 20) / Math.sqrt(p / samples);
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            y[i] = (float) (k * x[i]);
        }
        return y;
    }

    private static double mean(float[] p, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += p[i];
        }
        return s / (to - from);
    }

    private static float max(float[] p, int from, int to) {
        float m = 0;
        for (int i = from; i < to; i++) {
            m = Math.max(m, p[i]);
        }
        return m;
    }
}
