package dev.odinreactive.audio.apm.internal;

import java.util.Arrays;

/**
 * Per-bin noise power tracking by speech-presence-probability weighted recursive averaging:
 * Gerkmann and Hendriks, "Unbiased MMSE-based noise power estimation with low complexity and low
 * tracking delay", IEEE TASLP 20(4), 2012. The a posteriori speech presence probability uses a
 * fixed a priori SNR of 15 dB under speech presence and equal priors; a bin whose smoothed presence
 * stays above 0.99 is capped so the estimate cannot stagnate. The first blocks initialise the
 * estimate (the stream is assumed to start without speech for 50 ms); the estimate never falls
 * below the minimum of the smoothed periodogram over the last 1.5-3 s (Martin, "Noise power
 * spectral density estimation based on optimal smoothing and minimum statistics", IEEE TSAP 2001),
 * so an underestimate recovers quickly.
 */
public final class NoiseEstimator {
    private static final float XI_H1 = (float) Math.pow(10, 15 / 10.0);
    private static final float GLR_FACTOR = XI_H1 / (1 + XI_H1);
    private static final float ALPHA_POW = 0.8f;
    private static final float ALPHA_P = 0.9f;
    private static final int INIT_BLOCKS = 5;
    private static final int MIN_WINDOW = 150;

    private final int bins;
    private final float[] noise;
    private final float[] presence;
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
        presence = new float[bins];
        pSmooth = new float[bins];
    }

    /** Updates with one power spectrum; returns the noise power estimate (do not modify). */
    public float[] update(float[] power) {
        if (frames < INIT_BLOCKS) {
            double total = 0;
            for (int k = 0; k < bins; k++) {
                total += power[k];
            }
            if (total < bins * 1e-9) {
                for (int k = 0; k < bins; k++) {
                    noise[k] = Math.max(power[k], 1e-14f);
                }
                return noise;   // digital silence (e.g. a chain's start-up delay) teaches nothing
            }
        }
        trackMinimum(power);
        if (frames < INIT_BLOCKS) {
            for (int k = 0; k < bins; k++) {
                noise[k] = (noise[k] * frames + power[k]) / (frames + 1);
            }
            frames++;
            return noise;
        }
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
            presence[k] = p;
            float est = (1 - p) * power[k] + p * n;
            n = ALPHA_POW * n + (1 - ALPHA_POW) * est;
            // never below the recent minimum of the smoothed power: recovers from an
            // underestimate (e.g. a stream that starts with digital silence) within ~3 s
            noise[k] = Math.max(Math.max(n, 0.5f * sMin[k]), 1e-14f);
        }
        return noise;
    }

    /** Minimum of the smoothed periodogram over 1.5-3 s (Martin 2001, two sub-windows). */
    private void trackMinimum(float[] power) {
        boolean first = frames == 0;
        for (int k = 0; k < bins; k++) {
            smooth[k] = first ? power[k] : 0.8f * smooth[k] + 0.2f * power[k];
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

    /** A posteriori speech presence probability per bin from the last update. */
    public float[] presence() {
        return presence;
    }

    public float[] noise() {
        return noise;
    }

    public void reset() {
        frames = 0;
        Arrays.fill(noise, 0);
        Arrays.fill(pSmooth, 0);
    }
}
