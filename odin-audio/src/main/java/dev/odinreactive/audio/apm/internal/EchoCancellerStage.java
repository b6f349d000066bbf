package dev.odinreactive.audio.apm.internal;

import java.util.Arrays;

/**
 * Acoustic echo cancellation: a partitioned-block frequency-domain adaptive filter (multidelay
 * filter, MDF: Soo and Pang, "Multidelay block frequency domain adaptive filter", IEEE TASSP
 * 1990) of 30 partitions of 10 ms (300 ms of echo path) placed after the bulk delay found by
 * {@link DelayEstimator} (0-500 ms) or set by the application, with per-bin normalised step sizes
 * controlled by the estimated residual-echo-to-error ratio so that double talk does not make it
 * diverge (Valin, "On adjusting the learning rate in frequency domain echo cancellation with
 * double-talk", IEEE TASLP 2007), followed by a residual echo suppressor: a spectral gain
 * {@code max(gMin, 1 - beta * rho * |Y|^2 / |E|^2)} in an STFT (one block of delay), where
 * {@code rho} is the residual-to-estimate ratio learnt while the microphone holds only echo and
 * {@code beta} grows with the bin's microphone/echo-estimate coherence (the coherence-driven
 * suppression of the WebRTC legacy AEC's non-linear processor, Hänsler and Schmidt, "Acoustic
 * Echo and Noise Control", Wiley 2004, ch. 7). Full-step adaptation only where that coherence
 * says "echo only" (a coherence double-talk detector, Gänsler et al., IEEE TSAP 2000).
 */
public final class EchoCancellerStage {
    static final int PARTITIONS = 30;
    private static final float MU_MAX = 0.5f;
    /** Over-subtraction of the residual echo where the near talker is present (coherence 0)... */
    private static final float BETA_LOW = 1f;
    /** ...and where the microphone holds only echo (coherence 1). */
    private static final float BETA_HIGH = 20f;
    private static final float REG_FACTOR = 0.01f;
    private static final float G_MIN_DB = -45f;

    private static final int B = Stage.BLOCK;
    private static final int N = Stft.FFT;
    private static final int K = Stft.BINS;
    private static final int MARGIN_BLOCKS = 2;

    private final int parts = PARTITIONS;
    private final RealFft fft = new RealFft(N);
    private final int ring = DelayEstimator.MAX_DELAY_BLOCKS + parts + 4;
    private final float[][] xRe = new float[ring][K];
    private final float[][] xIm = new float[ring][K];
    private final boolean[] xActive = new boolean[ring];
    private int xPos;
    private final float[][] wRe = new float[parts][K];
    private final float[][] wIm = new float[parts][K];
    private final float[] farWin = new float[N];
    private final float[] tmp = new float[N];
    private final float[] yRe = new float[K];
    private final float[] yIm = new float[K];
    private final float[] eRe = new float[K];
    private final float[] eIm = new float[K];
    private final float[] xPow = new float[K];
    private final float[] e = new float[B];
    private final Stft eStft = new Stft();
    private final Stft dStft = new Stft();
    private final float[] ePow = new float[K];
    private final float[] yPow = new float[K];
    private final float[] ePowS = new float[K];
    private final float[] micPow = new float[K];
    private final float[] eMean = new float[K];
    private final float[] yMean = new float[K];
    private final float[] mu = new float[K];
    private final float[] gPrev = new float[K];
    private final DelayEstimator delayEstimator = new DelayEstimator();
    private final float gMin = (float) Math.pow(10, G_MIN_DB / 20.0);

    private int offset;            // filter start, blocks after the far-end block
    private int hintBlocks;
    private int constrainNext;
    private final float[] rho = new float[K];
    private final float[] sDyRe = new float[K];
    private final float[] sDyIm = new float[K];
    private final float[] sDd = new float[K];
    private final float[] sYy = new float[K];
    private float coherence;
    private int lowCoherenceBlocks;
    private static final int WARMUP_BLOCKS = 100;   // adapt freely during the first second of far end
    private static final int LOST_BLOCKS = 300;     // 3 s without coherence: the filter is lost, re-adapt
    private static final float COH_A = 0.8f;
    private static final float COH_THRESHOLD = 0.5f;
    private static final float RHO_MAX = 1000f;
    private static final float RHO_ALPHA = 0.9f;
    private int farActiveBlocks;
    private long blocks;

    public EchoCancellerStage() {
        Arrays.fill(gPrev, 1f);
    }

    /** Sets the application's stream delay hint (far end played to echo captured). */
    public void setStreamDelayMillis(long ms) {
        hintBlocks = (int) Math.max(0, Math.min(DelayEstimator.MAX_DELAY_BLOCKS, ms / 10));
        if (delayEstimator.delay() < 0) {
            moveFilter(Math.max(0, hintBlocks - MARGIN_BLOCKS));
        }
    }

    /** Current filter offset in blocks (bulk delay minus a margin). */
    public int offsetBlocks() {
        return offset;
    }

    /** Delay estimate in blocks, -1 while unknown. */
    public int estimatedDelayBlocks() {
        return delayEstimator.delay();
    }

    public int latency() {
        return B;
    }

    /**
     * Processes one block in place.
     *
     * @param near microphone block (modified)
     * @param far far-end block played during the same 10 ms, or null for silence
     */
    public void process(float[] near, float[] far) {
        blocks++;
        // 1. far-end spectrum of the last N samples
        System.arraycopy(farWin, B, farWin, 0, N - B);
        double sxx = 0;
        if (far == null) {
            Arrays.fill(farWin, N - B, N, 0f);
        } else {
            for (int i = 0; i < B; i++) {
                farWin[N - B + i] = far[i];
                sxx += far[i] * far[i];
            }
        }
        boolean farActive = sxx / B > 1e-7;   // -70 dBFS
        xPos = (xPos + 1) % ring;
        fft.forward(farWin, xRe[xPos], xIm[xPos]);
        xActive[xPos] = farActive;

        // 2. microphone STFT (for delay estimation and the suppressor)
        dStft.analyse(near);
        double sNear = 0;
        for (int i = 0; i < B; i++) {
            sNear += near[i] * near[i];
        }
        boolean micActive = sNear / B > 1e-7;
        float[] dPow = micPow;
        for (int k = 0; k < K; k++) {
            dPow[k] = dStft.re[k] * dStft.re[k] + dStft.im[k] * dStft.im[k];
        }
        int d = delayEstimator.update(xRe[xPos], xIm[xPos], dPow, farActive, micActive && farActive);
        int wanted = d >= 0 ? Math.max(0, d - MARGIN_BLOCKS) : Math.max(0, hintBlocks - MARGIN_BLOCKS);
        if (wanted != offset) {
            moveFilter(wanted);
        }

        // 3. echo estimate Y = sum_p W_p X_{t-offset-p}; far power in the filter's span
        Arrays.fill(yRe, 0f);
        Arrays.fill(yIm, 0f);
        Arrays.fill(xPow, 0f);
        boolean anyFar = false;
        for (int p = 0; p < parts; p++) {
            int i = idx(offset + p);
            anyFar |= xActive[i];
            float[] ar = xRe[i], ai = xIm[i], br = wRe[p], bi = wIm[p];
            for (int k = 0; k < K; k++) {
                float xr = ar[k], xi = ai[k];
                yRe[k] += xr * br[k] - xi * bi[k];
                yIm[k] += xr * bi[k] + xi * br[k];
                xPow[k] += xr * xr + xi * xi;
            }
        }
        fft.inverse(yRe, yIm, tmp);
        for (int i = 0; i < B; i++) {
            e[i] = near[i] - tmp[N - B + i];
        }

        // 4. error spectrum for the update (zero-padded front)
        Arrays.fill(tmp, 0, N - B, 0f);
        System.arraycopy(e, 0, tmp, N - B, B);
        fft.forward(tmp, eRe, eIm);

        // 5. suppressor analysis: E and Y = D - E on the STFT grid
        eStft.analyse(e);
        double see = 0, syy = 0;
        for (int k = 0; k < K; k++) {
            float er = eStft.re[k], ei = eStft.im[k];
            float yr = dStft.re[k] - er, yi = dStft.im[k] - ei;
            ePow[k] = er * er + ei * ei + 1e-12f;
            yPow[k] = yr * yr + yi * yi;
            see += ePow[k];
            syy += yPow[k];
        }
        // residual echo ratio rho(k) = |E|^2 / |Y|^2, learnt in blocks that look echo-only:
        // far end active and the microphone coherent with the echo estimate (a near talker is
        // in D but not in Y, so double talk lowers the coherence at once)
        double sdd = 0;
        for (int k = 0; k < K; k++) {
            sdd += dStft.re[k] * dStft.re[k] + dStft.im[k] * dStft.im[k];
        }
        // coherence between microphone and echo estimate over 280 Hz-4 kHz: close to one when
        // the microphone holds only (linearly predictable) echo, lower in double talk
        float cohSum = 0;
        for (int k = 0; k < K; k++) {
            float dr = dStft.re[k], di = dStft.im[k];
            float yr = dr - eStft.re[k], yi = di - eStft.im[k];
            sDyRe[k] = COH_A * sDyRe[k] + (1 - COH_A) * (dr * yr + di * yi);
            sDyIm[k] = COH_A * sDyIm[k] + (1 - COH_A) * (di * yr - dr * yi);
            sDd[k] = COH_A * sDd[k] + (1 - COH_A) * (dr * dr + di * di);
            sYy[k] = COH_A * sYy[k] + (1 - COH_A) * yPow[k];
            if (k >= 6 && k < 86) {
                cohSum += (sDyRe[k] * sDyRe[k] + sDyIm[k] * sDyIm[k]) / (sDd[k] * sYy[k] + 1e-20f);
            }
        }
        coherence = cohSum / 80;
        boolean echoOnly = anyFar && (coherence > COH_THRESHOLD || farActiveBlocks < WARMUP_BLOCKS
                || lowCoherenceBlocks > LOST_BLOCKS);
        if (anyFar) {
            lowCoherenceBlocks = coherence > COH_THRESHOLD ? 0 : lowCoherenceBlocks + 1;
        }
        if (anyFar) {
            farActiveBlocks++;
        }
        if (echoOnly) {
            float a = farActiveBlocks < 50 ? 0.5f : RHO_ALPHA;
            for (int k = 0; k < K; k++) {
                float r = Math.min(RHO_MAX, ePow[k] / (yPow[k] + 1e-12f));
                rho[k] = a * rho[k] + (1 - a) * r;
            }
        }
        for (int k = 0; k < K; k++) {
            ePowS[k] = 0.5f * ePowS[k] + 0.5f * ePow[k];
        }

        // 6. adaptation: per-bin NLMS step, full in echo-only blocks, else scaled by the
        //    residual-echo-to-error ratio (Valin 2007)
        if (anyFar) {
            float meanX = 0;
            for (int k = 0; k < K; k++) {
                meanX += xPow[k];
            }
            float reg = REG_FACTOR * meanX / K + 1e-6f;
            for (int k = 0; k < K; k++) {
                float rer = echoOnly ? 1f : Math.min(1f, Math.min(1f, rho[k]) * yPow[k] / ePow[k]);
                mu[k] = MU_MAX * rer / (xPow[k] + reg);
            }
            for (int p = 0; p < parts; p++) {
                int i = idx(offset + p);
                if (!xActive[i]) {
                    continue;
                }
                float[] ar = xRe[i], ai = xIm[i], br = wRe[p], bi = wIm[p];
                for (int k = 0; k < K; k++) {
                    float xr = ar[k], xi = ai[k], er = eRe[k], ei = eIm[k], m = mu[k];
                    br[k] += m * (xr * er + xi * ei);
                    bi[k] += m * (xr * ei - xi * er);
                }
            }
            constrain(constrainNext);   // one partition per block, in turn (as Speex's MDF)
            constrainNext = (constrainNext + 1) % parts;
        }

        // 7. residual echo suppression: Wiener-like gain against rho * |Y|^2
        for (int k = 0; k < K; k++) {
            float g;
            if (!anyFar) {
                g = 1f;
            } else {
                // over-subtraction grows with the bin's mic/echo-estimate coherence: aggressive
                // where the microphone is echo only, gentle where a near talker is present
                float c = (sDyRe[k] * sDyRe[k] + sDyIm[k] * sDyIm[k]) / (sDd[k] * sYy[k] + 1e-20f);
                float b = BETA_LOW + (BETA_HIGH - BETA_LOW) * c * c;
                float r = rho[k] * yPow[k];
                g = Math.max(gMin, 1f - b * r / Math.max(ePowS[k], ePow[k]));
            }
            // fast fall, one-block release
            float gs = Math.min(g, 0.5f * gPrev[k] + 0.5f * g);
            gPrev[k] = g;
            eStft.re[k] *= gs;
            eStft.im[k] *= gs;
        }
        eStft.synthesise(near);
    }

    private int idx(int blocksAgo) {
        return ((xPos - blocksAgo) % ring + ring) % ring;
    }

    private void constrain(int p) {
        fft.inverse(wRe[p], wIm[p], tmp);
        Arrays.fill(tmp, B, N, 0f);
        fft.forward(tmp, wRe[p], wIm[p]);
    }

    private void moveFilter(int newOffset) {
        int shift = newOffset - offset;
        float[][] nr = new float[parts][], ni = new float[parts][];
        for (int p = 0; p < parts; p++) {
            int q = p + shift;
            if (q >= 0 && q < parts) {
                nr[p] = wRe[q];
                ni[p] = wIm[q];
            } else {
                nr[p] = new float[K];
                ni[p] = new float[K];
            }
        }
        for (int p = 0; p < parts; p++) {
            wRe[p] = nr[p];
            wIm[p] = ni[p];
        }
        offset = newOffset;
    }
}
