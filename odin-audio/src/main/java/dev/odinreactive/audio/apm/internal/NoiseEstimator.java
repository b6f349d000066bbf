package dev.odinreactive.audio.apm.internal;

/**
 * Per-bin noise power tracking by speech-presence-probability weighted recursive averaging:
 * Gerkmann and Hendriks, "Unbiased MMSE-based noise power estimation with low complexity and low
 * tracking delay", IEEE TASLP 20(4), 2012. The a posteriori speech presence probability uses a
 * fixed a priori SNR of 15 dB under speech presence and equal priors; a bin whose smoothed presence
 * stays above 0.99 is capped so the estimate cannot stagnate. The first blocks initialise the
 * estimate (the stream is assumed to start without speech for 50 ms). The estimate is held within
 * 0.5-4 times the minimum of the smoothed periodogram over the last 2.5-5 s (Martin, "Noise power
 * spectral density estimation based on optimal smoothing and minimum statistics", IEEE TSAP 2001):
 * the lower bound recovers an underestimate, the upper bound stops the estimate from creeping into
 * sustained voiced sounds, which on clean speech would otherwise overestimate the noise by 20-30 dB
 * in the pitch region. The window exceeds a typical sentence; a noise that rises by more than 6 dB
 * is followed fully within 5 s.
 */
public final class NoiseEstimator {
    private static final float XI_H1 = (float) Math.pow(10, 15 / 10.0);
    private static final float GLR_FACTOR = XI_H1 / (1 + XI_H1);
    private static final float ALPHA_POW = 0.8f;
    private static final float ALPHA_P = 0.9f;
    private static final int INIT_BLOCKS = 5;
    /** Largest smoothing factor of the periodogram whose minimum is tracked (Martin 2001: 0.96). */
    private static final float ALPHA_MIN_TRACK_MAX = 0.96f;
    /** Sub-window of the minimum tracker in blocks: the minimum covers the last 2.5-5 s. */
    private static final int MIN_WINDOW = 250;
    /** The estimate stays within [0.5, 4] times that minimum. */
    private static final float MAX_OVER_MIN = 4f;

    private final int bins;
    private final float[] noise;
    private final float[] pSmooth;
    private final float[] smooth;
    private final float[] sMin;
    private final float[] sTmp;
    private int frames;
    private int window;

    public NoiseEstimator(int bins) {
        this.bins = bins;
        smooth = new float[bins];
        sMin = new float[bins];
        sTmp = new float[bins];
        noise = new float[bins];
        pSmooth = new float[bins];
    }

    /** Updates with one power spectrum; returns the noise power estimate (do not modify). */
    public float[] update(float[] power) {
        double total = 0;
        for (int k = 0; k < bins; k++) {
            total += power[k];
        }
        if (total < bins * 1e-9) {
            // digital silence (muted input, a chain's start-up delay) teaches nothing: the
            // estimate and the minimum tracker stay as they were
            if (frames == 0) {
                for (int k = 0; k < bins; k++) {
                    noise[k] = Math.max(power[k], 1e-14f);
                }
            }
            return noise;
        }
        if (frames < INIT_BLOCKS) {
            for (int k = 0; k < bins; k++) {
                noise[k] = (noise[k] * frames + power[k]) / (frames + 1);
            }
            frames++;
            return noise;
        }
        trackMinimum(power);
        frames++;
        for (int k = 0; k < bins; k++) {
            float n = noise[k];
            float gamma = power[k] / n;
            float e = gamma * GLR_FACTOR;
            float p = e > 40 ? 1f : 1f / (1f + (1 + XI_H1) * (float) Math.exp(-e));
            pSmooth[k] = ALPHA_P * pSmooth[k] + (1 - ALPHA_P) * p;
            if (pSmooth[k] > 0.99f) {
                p = Math.min(p, 0.99f);
            }
            float est = (1 - p) * power[k] + p * n;
            n = ALPHA_POW * n + (1 - ALPHA_POW) * est;
            // within [0.5, 4] x the recent minimum of the smoothed power: recovers from an
            // underestimate (e.g. a stream that starts with digital silence) within ~5 s, and
            // cannot creep up into long voiced sounds (the 0.99 cap above lets it leak
            // 0.2 % of a 50 dB louder bin per block, i.e. +23 dB per block)
            noise[k] = Math.max(Math.min(Math.max(n, 0.5f * sMin[k]), MAX_OVER_MIN * sMin[k]), 1e-14f);
        }
        return noise;
    }

    /**
     * Minimum of the smoothed periodogram over 2.5-5 s (Martin 2001, two sub-windows). The
     * smoothing factor is Martin's optimal one, 0.96 / (1 + (smoothed / noise - 1)^2) limited to
     * 0.3: heavy smoothing near the noise level, fast tracking above it, so the smoothed power
     * reaches the noise floor even in 100 ms pauses between syllables.
     */
    private void trackMinimum(float[] power) {
        boolean first = frames == INIT_BLOCKS;
        for (int k = 0; k < bins; k++) {
            // starts from the initial estimate (a mean of 5 blocks), not from one periodogram that
            // may lie 20 dB under the mean and would hold the estimate down for a whole window
            if (first) {
                smooth[k] = noise[k];
            } else {
                float r = smooth[k] / noise[k] - 1f;
                float a = Math.max(ALPHA_MIN_TRACK_MAX / (1f + r * r), 0.3f);
                smooth[k] = a * smooth[k] + (1 - a) * power[k];
            }
        }
        if (first || ++window >= MIN_WINDOW) {
            window = 0;
            for (int k = 0; k < bins; k++) {
                sMin[k] = first ? smooth[k] : Math.min(sTmp[k], smooth[k]);
                sTmp[k] = smooth[k];
            }
        } else {
            for (int k = 0; k < bins; k++) {
                sMin[k] = Math.min(sMin[k], smooth[k]);
                sTmp[k] = Math.min(sTmp[k], smooth[k]);
            }
        }
    }
}
