package dev.odinreactive.bench.apm;

import dev.odinreactive.audio.Signals;
import java.util.Random;

/**
 * The input of the APM benchmarks: 6 s of 10 ms blocks (48 kHz mono) that keep every adaptive path
 * busy, as in a call. Near end: a speech-like talker (about -26 dBFS while talking, 1.6 s on, 0.9 s
 * off) plus pink-ish noise at -45 dBFS plus the echo of the far end; far end: another speech-like
 * talker (-23 dBFS, 2.1 s on, 1.3 s off), so the blocks cover near-only, far-only (echo only), double
 * talk and noise-only stretches. The echo path is 60 ms of bulk delay, a direct path, four early
 * reflections and a 15 ms decaying noise tail, scaled so the echo is about -26 dBFS.
 */
final class ApmWorkload {
    static final int BLOCK = 480;
    static final int BLOCKS = 600;
    private static final int RATE = 48_000;

    final float[][] near = new float[BLOCKS][BLOCK];
    final float[][] far = new float[BLOCKS][BLOCK];

    ApmWorkload() {
        int n = BLOCKS * BLOCK;
        Random r = new Random(7);
        // generated for 44.1 kHz, played at 48: another voice (pitch, formants and syllables 9 % higher),
        // so the near talker is not a copy of the far one that the echo delay estimator could lock on to
        float[] talkerA = gate(Signals.speechLike(44_100, n), 1.6, 0.9, 0.0);
        float[] talkerB = gate(Signals.speechLike(RATE, n + RATE), 2.1, 1.3, 0.7);
        float[] farAll = new float[n];
        System.arraycopy(talkerB, RATE / 3, farAll, 0, n);   // another stretch: a different pitch course
        scale(farAll, -23);
        scale(talkerA, -26);

        int bulk = RATE * 60 / 1000;
        int tail = RATE * 15 / 1000;
        float[] rir = new float[bulk + 240 + tail];
        rir[bulk] = 1f;
        for (int k = 1; k <= 4; k++) {
            rir[bulk + 37 * k + r.nextInt(20)] = (float) (0.6 / k * (r.nextBoolean() ? 1 : -1));
        }
        for (int i = 0; i < tail; i++) {
            rir[bulk + 240 + i] += (float) (0.2 * r.nextGaussian() * Math.exp(-6.9 * i / tail));
        }
        float[] echo = new float[n];
        for (int i = 0; i < rir.length; i++) {
            float h = rir[i];
            if (h == 0) {
                continue;
            }
            for (int t = i; t < n; t++) {
                echo[t] += h * farAll[t - i];
            }
        }
        scale(echo, -26);

        float lp = 0;
        for (int t = 0; t < n; t++) {
            lp = 0.9f * lp + 0.1f * (float) r.nextGaussian();   // one-pole low-pass: more noise at low frequencies
            float noise = lp * 0.0245f;   // the filtered noise has RMS 0.229: about -45 dBFS
            float v = talkerA[t] + echo[t] + noise;
            near[t / BLOCK][t % BLOCK] = v;
            far[t / BLOCK][t % BLOCK] = farAll[t];
        }
    }

    /** Speech for {@code onS} seconds, then {@code offS} of silence, repeated (10 ms ramps), from {@code phaseS}. */
    private static float[] gate(float[] x, double onS, double offS, double phaseS) {
        double period = onS + offS;
        int ramp = RATE / 100;
        for (int i = 0; i < x.length; i++) {
            double t = (i / (double) RATE + phaseS) % period;
            double pos = t * RATE;
            double g = t >= onS ? 0 : Math.min(1, Math.min(pos, onS * RATE - pos) / ramp);
            x[i] *= (float) g;
        }
        return x;
    }

    /** Scales {@code x} so its RMS over the non-silent samples is {@code dbfs}. */
    private static void scale(float[] x, double dbfs) {
        double p = 0;
        int active = 0;
        for (float v : x) {
            if (v != 0) {
                p += (double) v * v;
                active++;
            }
        }
        double g = Math.pow(10, dbfs / 20) / Math.sqrt(p / Math.max(1, active));
        for (int i = 0; i < x.length; i++) {
            x[i] *= (float) g;
        }
    }
}
