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
 * {@code max(gMin, 1 - beta * leak * |Y|^2 / |E|^2)} in an STFT (one block of delay).
 */
public final class EchoCancellerStage {
    static int partitions = 30;
    static float muMax = Float.parseFloat(System.getProperty("aec.mu", "0.5"));
    static float beta = 2.0f;
    static float gMinDb = -45f;
    static int constrainPerBlock = Integer.getInteger("aec.cpb", 1);
    static float normScale = Float.parseFloat(System.getProperty("aec.norm", "1"));

    private static final int B = Stage.BLOCK;
    private static final int N = Stft.FFT;
    private static final int K = Stft.BINS;
    private static final int MARGIN_BLOCKS = 2;

    private final int parts = partitions;
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
    private final float[] eMean = new float[K];
    private final float[] yMean = new float[K];
    private final float[] mu = new float[K];
    private final float[] gPrev = new float[K];
    private final DelayEstimator delayEstimator = new DelayEstimator();
    private final float gMin = (float) Math.pow(10, gMinDb / 20.0);

    private int offset;            // filter start, blocks after the far-end block
    private int hintBlocks;
    private int constrainNext;
    private float pey = 0;
    private float pyy = 1e-9f;
    private float leak = 0.5f;
    private int farActiveBlocks;
    private boolean adapted;
    private long blocks;
    double dbgIn, dbgLin;
    static boolean debug;
    static final boolean NO_RER = Boolean.getBoolean("aec.norer");

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

    String debug() {
        return "leak=" + leak + " adapted=" + adapted;
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
        double sdd = 0;
        for (int i = 0; i < B; i++) {
            sdd += near[i] * near[i];
        }
        boolean micActive = sdd / B > 1e-7;
        float[] dPow = ePowS; // reuse as scratch for mic power
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

        for (int i = 0; i < B; i++) {
            dbgIn += near[i] * near[i];
            dbgLin += e[i] * e[i];
        }
        if (blocks % 100 == 0 && debug) {
            System.out.printf("t=%d lin ERLE %.1f leak %.3f delay %d adapted %b%n", blocks / 100,
                    10 * Math.log10(dbgIn / (dbgLin + 1e-20)), leak, delayEstimator.delay(), adapted);
            dbgIn = 0;
            dbgLin = 0;
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
        // leakage: regression of error-power on echo-estimate-power fluctuations (Valin 2007)
        if (anyFar) {
            farActiveBlocks++;
            float peyI = 0, pyyI = 0;
            for (int k = 0; k < K; k++) {
                float eh = ePow[k] - eMean[k], yh = yPow[k] - yMean[k];
                peyI += eh * yh;
                pyyI += yh * yh;
                eMean[k] = 0.95f * eMean[k] + 0.05f * ePow[k];
                yMean[k] = 0.95f * yMean[k] + 0.05f * yPow[k];
            }
            pyyI = (float) Math.sqrt(pyyI) + 1e-12f;
            peyI /= pyyI;
            float a = (float) Math.min(0.2 * syy / (see + 1e-12), 0.05);
            pey = (1 - a) * pey + a * peyI;
            pyy = (1 - a) * pyy + a * pyyI;
            if (pyy < 1e-9f) {
                pyy = 1e-9f;
            }
            pey = Math.max(pey, 0.005f * pyy);
            pey = Math.min(pey, pyy);
            leak = pey / pyy;
            if (!adapted && farActiveBlocks > 100 && see < 0.25 * syy) {
                adapted = true;
            }
        }

        // 6. adaptation: per-bin NLMS step, scaled by the residual-echo-to-error ratio
        if (anyFar) {
            for (int k = 0; k < K; k++) {
                float rer = adapted && !NO_RER ? Math.min(1f, 2f * leak * yPow[k] / ePow[k]) : 1f;
                mu[k] = muMax * rer / (xPow[k] * normScale + 1e-6f);
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
            for (int c = 0; c < constrainPerBlock; c++) {
                constrain(constrainNext);
                constrainNext = (constrainNext + 1) % parts;
            }
        }

        // 7. residual echo suppression
        for (int k = 0; k < K; k++) {
            float g;
            if (!anyFar) {
                g = 1f;
            } else if (!adapted) {
                g = gMin;
            } else {
                float r = leak * yPow[k];
                g = Math.max(gMin, 1f - beta * r / ePow[k]);
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
