package dev.odinreactive.audio.apm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The echo canceller on synthetic speech-like signals (noise under a syllabic envelope) through a
 * synthetic room: bulk delay, direct path, an exponentially decaying random tail.
 */
class EchoCancellerStageTest {
    private static final int B = Stage.BLOCK;
    private static final int FS = 48000;

    /**
     * Speech-like: "syllables" of 60-300 ms with random pauses, each with its own level and
     * spectral tilt (a one-pole filter on white noise), about -25 dBFS while active.
     */
    private static float[] talker(long seed, int samples) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[samples];
        int i = 0;
        double lp = 0;
        while (i < samples) {
            int on = (int) ((0.06 + 0.24 * r.nextDouble()) * FS), off = (int) ((0.02 + 0.2 * r.nextDouble()) * FS);
            double pole = -0.5 + 1.4 * r.nextDouble(), amp = 0.05 + 0.25 * r.nextDouble();
            for (int j = 0; j < on && i < samples; j++, i++) {
                lp = Math.min(0.95, pole) * lp + (r.nextDouble() * 2 - 1);
                x[i] = (float) (amp * lp * Math.sin(Math.PI * j / on));
            }
            i += off;
        }
        return x;
    }

    /** Room impulse response: bulk delay, direct path, a sparse exponentially decaying tail of tailMs. */
    private static float[] room(long seed, int delayMs, int tailMs) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = delayMs * FS / 1000, lt = tailMs * FS / 1000;
        float[] h = new float[d + lt];
        h[d] = 0.6f;
        h[d + 91] = -0.3f;
        for (int i = 1; i < lt; i += 1 + r.nextInt(40)) {
            h[d + i] = (float) (0.3 * (r.nextDouble() * 2 - 1) * Math.exp(-6.9 * i / lt));
        }
        return h;
    }

    private static float[] convolve(float[] x, float[] h, int from, int to, float[] into) {
        int taps = 0;
        int[] at = new int[h.length];
        for (int j = 0; j < h.length; j++) {
            if (h[j] != 0) {
                at[taps++] = j;
            }
        }
        for (int n = from; n < to; n++) {
            double s = 0;
            for (int t = 0; t < taps && at[t] <= n; t++) {
                s += h[at[t]] * x[n - at[t]];
            }
            into[n] = (float) s;
        }
        return into;
    }

    /** Runs the stage; returns the linear output (aligned with the input) and the final output. */
    private static float[][] run(EchoCancellerStage aec, float[] mic, float[] far, Runnable[] atBlock) {
        int blocks = mic.length / B;
        float[] lin = new float[blocks * B], out = new float[blocks * B];
        float[] nb = new float[B], fb = new float[B];
        for (int b = 0; b < blocks; b++) {
            if (atBlock != null && atBlock[b] != null) {
                atBlock[b].run();
            }
            System.arraycopy(mic, b * B, nb, 0, B);
            System.arraycopy(far, b * B, fb, 0, B);
            aec.process(nb, fb);
            System.arraycopy(aec.linearOutput(), 0, lin, b * B, B);
            System.arraycopy(nb, 0, out, b * B, B);
        }
        return new float[][] {lin, out};
    }

    private static double energy(float[] x, int from, int to) {
        double s = 1e-20;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return s;
    }

    private static double erleDb(float[] mic, float[] y, double fromS, double toS) {
        int a = (int) (fromS * FS), b = (int) (toS * FS);
        return 10 * Math.log10(energy(mic, a, b) / energy(y, a, b));
    }

    private static float[] mix(float[] echo, float[] near, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] m = new float[echo.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = echo[i] + (near == null ? 0 : near[i]) + (float) (3e-4 * (r.nextDouble() - 0.5));
        }
        return m;
    }

    /**
     * Microphone with the echo of {@code far} through room {@code roomSeed} whose bulk delay
     * changes from {@code delayMs} to {@code laterDelayMs} at sample {@code jump}.
     */
    private static float[] micWithDelayJump(float[] far, int jump, long roomSeed, int delayMs, int laterDelayMs,
            int tailMs, long noiseSeed) {
        int n = far.length;
        float[] echo = convolve(far, room(roomSeed, delayMs, tailMs), 0, jump, new float[n]);
        convolve(far, room(roomSeed, laterDelayMs, tailMs), jump, n, echo);
        return mix(echo, null, noiseSeed);
    }

    @Test
    void findsTheDelayItselfAndCancelsTheEcho() {
        int n = 8 * FS;
        float[] far = talker(1, n);
        float[] mic = mix(convolve(far, room(2, 230, 120), 0, n, new float[n]), null, 3);
        EchoCancellerStage aec = new EchoCancellerStage();
        float[][] y = run(aec, mic, far, null);
        assertThat(aec.estimatedDelayBlocks()).isBetween(22, 24);
        assertThat(erleDb(mic, y[0], 6, 8)).as("linear ERLE, last 2 s").isGreaterThan(20);
        assertThat(erleDb(mic, y[1], 6, 8)).as("ERLE after suppression").isGreaterThan(35);
    }

    @Test
    void aSetStreamDelayPlacesTheFilterBeforeAnyEstimate() {
        EchoCancellerStage aec = new EchoCancellerStage();
        aec.setStreamDelayMillis(300);
        assertThat(aec.estimatedDelayBlocks()).isEqualTo(-1);
        assertThat(aec.offsetBlocks()).isEqualTo(28);

        // the echo is cancelled from the start: 10 dB within the first second
        int n = 2 * FS;
        float[] far = talker(4, n);
        float[] mic = mix(convolve(far, room(5, 300, 100), 0, n, new float[n]), null, 6);
        EchoCancellerStage hinted = new EchoCancellerStage();
        hinted.setStreamDelayMillis(300);
        float[][] y = run(hinted, mic, far, null);
        assertThat(erleDb(mic, y[1], 0.5, 1.0)).isGreaterThan(10);
    }

    @Test
    void reconvergesAfterTheEchoDelayJumpsMidStream() {
        int n = 14 * FS, jump = 8 * FS;
        float[] far = talker(7, n);
        float[] mic = micWithDelayJump(far, jump, 8, 80, 150, 150, 9);
        EchoCancellerStage aec = new EchoCancellerStage();
        float[][] y = run(aec, mic, far, null);
        assertThat(erleDb(mic, y[0], 6, 8)).as("before the jump").isGreaterThan(20);
        assertThat(erleDb(mic, y[0], 10, 14)).as("linear ERLE 2-6 s after the jump").isGreaterThan(20);
        assertThat(erleDb(mic, y[1], 10, 14)).as("ERLE after suppression").isGreaterThan(35);
        // 150 ms: the filter starts two blocks before the estimate, so it must not exceed 17
        assertThat(aec.estimatedDelayBlocks()).isBetween(14, 17);
    }

    @Test
    void followsAChangedStreamDelayAtOnce() {
        int n = 10 * FS, jump = 7 * FS;
        float[] far = talker(10, n);
        float[] mic = micWithDelayJump(far, jump, 11, 100, 250, 100, 12);
        EchoCancellerStage aec = new EchoCancellerStage();
        aec.setStreamDelayMillis(100);
        Runnable[] at = new Runnable[n / B];
        at[jump / B] = () -> aec.setStreamDelayMillis(250);
        float[][] y = run(aec, mic, far, at);
        assertThat(erleDb(mic, y[0], jump / (double) FS, jump / (double) FS + 0.5))
                .as("linear ERLE in the first 0.5 s after the change").isGreaterThan(15);
        assertThat(aec.estimatedDelayBlocks()).isBetween(24, 26);
    }

    @Test
    void doubleTalkNeitherDivergesTheFilterNorErasesTheNearTalker() {
        int n = 14 * FS, dtFrom = 7 * FS, dtTo = 11 * FS;
        float[] far = talker(13, n);
        float[] echo = convolve(far, room(14, 60, 200), 0, n, new float[n]);
        float[] near = new float[n];
        float[] talk = talker(15, n);
        System.arraycopy(talk, dtFrom, near, dtFrom, dtTo - dtFrom);
        float[] mic = mix(echo, near, 16);
        EchoCancellerStage aec = new EchoCancellerStage();
        float[][] y = run(aec, mic, far, null);
        double before = erleDb(mic, y[0], 5, 7), after = erleDb(mic, y[0], 12, 14);
        assertThat(before).isGreaterThan(20);
        // a diverged filter would leave less than 10 dB; the noise floor bounds both near 45 dB
        assertThat(after).as("linear ERLE after 4 s of double talk").isGreaterThan(Math.min(30, before - 6));
        // near talker in the output (one block late) against what is left of it and of the echo
        double sig = 0, err = 0;
        for (int i = dtFrom + FS / 2; i < dtTo; i++) {
            double s = near[i - B], d = s - y[1][i];
            sig += s * s;
            err += d * d;
        }
        assertThat(10 * Math.log10(sig / err)).as("near-end SNR in double talk (input 0 dB)").isGreaterThan(8);
    }
}
