package dev.odinreactive.audio.apm.internal;

import java.util.Arrays;

/**
 * Acoustic echo cancellation: a partitioned-block frequency-domain adaptive filter (multidelay
 * filter, MDF: Soo and Pang, "Multidelay block frequency domain adaptive filter", IEEE TASSP
 * 1990) of 30 partitions of 10 ms (300 ms of echo path) placed after the bulk delay found by
 * {@link DelayEstimator} (0-500 ms) or set by the application, adapted as a frequency-domain
 * Kalman filter with a diagonal state covariance per partition and bin (Enzner and Vary,
 * "Frequency-domain adaptive Kalman filter for acoustic echo control in hands-free telephones",
 * Signal Processing 2006; Kuech, Mabande and Enzner, "State-space architecture of the
 * partitioned-block-based acoustic echo controller", ICASSP 2014): the step
 * {@code P_p / (sum_q P_q |X_q|^2 + (N/B) Phi_E)} is large while the filter is uncertain and
 * shrinks by itself when the error holds a near talker, which is the optimal-step argument of
 * Valin ("On adjusting the learning rate in frequency domain echo cancellation with
 * double-talk", IEEE TASLP 2007) with the residual echo tracked by the state covariance.
 *
 * <p>A change of the delay estimate is followed only if it predicts the last four microphone
 * blocks better than the current placement (double talk can mislead the estimator), reading the
 * taps either at their absolute lags (the first estimates were off) or relative to the bulk
 * delay, within two blocks (the echo delay jumped): whichever predicts best.
 *
 * <p>The residual echo suppressor is a spectral gain {@code max(gMin, 1 - beta * rho * |Y|^2 /
 * |E|^2)} in an STFT (one block of delay), where {@code rho} is the residual-to-estimate ratio
 * learnt only in blocks that are echo only (far end active, microphone/echo-estimate coherence
 * above 0.9 and the linear filter removing at least 10 dB: a near talker would stay in the
 * error) and {@code beta} grows with the bin's coherence (the coherence-driven suppression of the
 * WebRTC legacy AEC's non-linear processor, Hänsler and Schmidt, "Acoustic Echo and Noise
 * Control", Wiley 2004, ch. 7; coherence double-talk detection after Gänsler et al., IEEE TSAP
 * 2000), so that the near talker in double talk is left alone.
 */
public final class EchoCancellerStage {
    static final int PARTITIONS = 30;
    /** Over-subtraction of the residual echo where the near talker is present (coherence 0)... */
    private static final float BETA_LOW = 1f;
    /** ...and where the microphone holds only echo (coherence 1). */
    private static final float BETA_HIGH = 20f;
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
    private final float[][] xPw = new float[ring][K];
    private final float[][] pCov = new float[parts][K];
    private final float[] phiE = new float[K];
    private final float[] den = new float[K];
    private static final float MU0 = 0.8f;
    private static final float P0 = 1f;
    private static final float QRATE = 1e-3f;
    private static final float PHI_A = 0.5f;
    /** Blocks of microphone history over which the two ways of following a delay change are compared. */
    private static final int CHECK_BLOCKS = 4;
    private static final int RECHECK_BLOCKS = 25;
    private final float[][] micHist = new float[CHECK_BLOCKS][B];
    private int micPos;
    private boolean hintSet;
    /** An estimate the current filter predicted better than (double talk misleads the estimator), and when to look again. */
    private int rejectedOffset = -1;
    private long recheckAt;
    private final float[][] wRe = new float[parts][K];
    private final float[][] wIm = new float[parts][K];
    /** Row references while {@link #moveFilter} permutes the partitions. */
    private final float[][] rowScratch = new float[parts][];
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
    private static final int WARMUP_BLOCKS = 100;   // adapt freely during the first second of far end
    private static final float COH_A = 0.8f;
    private static final float COH_THRESHOLD = 0.9f;
    private static final float RHO_MAX = 1000f;
    private static final float ECHO_ONLY_ERROR = 0.1f;
    private static final float RHO_ALPHA = 0.9f;
    private int farActiveBlocks;
    private long blocks;

    public EchoCancellerStage() {
        Arrays.fill(gPrev, 1f);
        for (float[] pc : pCov) {
            Arrays.fill(pc, P0);
        }
    }

    /**
     * Sets the application's stream delay (far end played to echo captured, as
     * {@code odin_audio_set_stream_delay}). The first value places the filter until the delay
     * estimator has its own estimate; a later change by D moves the filter and the estimator's
     * lags by D at once (the echo path itself is assumed unchanged, only delayed differently).
     */
    public void setStreamDelayMillis(long ms) {
        int h = (int) Math.max(0, Math.min(DelayEstimator.MAX_DELAY_BLOCKS, ms / 10));
        if (!hintSet) {
            hintSet = true;
            hintBlocks = h;
            if (delayEstimator.delay() < 0) {
                moveFilter(Math.max(0, hintBlocks - MARGIN_BLOCKS));
            }
            return;
        }
        if (h == hintBlocks) {
            return;
        }
        delayEstimator.shift(h - hintBlocks);
        hintBlocks = h;
        int d = delayEstimator.delay();
        offset = clampOffset((d >= 0 ? d : h) - MARGIN_BLOCKS);
    }

    private static int clampOffset(int o) {
        return Math.max(0, Math.min(DelayEstimator.MAX_DELAY_BLOCKS - MARGIN_BLOCKS, o));
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

    /** The last block's linear-filter output (microphone minus echo estimate, before suppression; not delayed). */
    public float[] linearOutput() {
        return e;
    }

    /**
     * Processes one block in place.
     *
     * @param near microphone block (modified)
     * @param far far-end block played during the same 10 ms, or null for silence
     */
    public void process(float[] near, float[] far) {
        blocks++;
        micPos = (micPos + 1) % CHECK_BLOCKS;
        System.arraycopy(near, 0, micHist[micPos], 0, B);
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
        {
            float[] ar = xRe[xPos], ai = xIm[xPos], pw = xPw[xPos];
            for (int k = 0; k < K; k++) {
                pw[k] = ar[k] * ar[k] + ai[k] * ai[k];
            }
        }

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
        // hysteresis: the estimate jitters by a block; the margin keeps the direct path inside
        if ((wanted < offset || wanted > offset + 1) && (wanted != rejectedOffset || blocks >= recheckAt)) {
            followDelayChange(wanted);
        }

        // 3. echo estimate Y = sum_p W_p X_{t-offset-p}; far power in the filter's span
        Arrays.fill(yRe, 0f);
        Arrays.fill(yIm, 0f);
        Arrays.fill(xPow, 0f);
        Arrays.fill(den, 0f);
        boolean anyFar = false;
        for (int p = 0; p < parts; p++) {
            int i = idx(offset + p);
            anyFar |= xActive[i];
            float[] ar = xRe[i], ai = xIm[i], br = wRe[p], bi = wIm[p], pw = xPw[i], pc = pCov[p];
            for (int k = 0; k < K; k++) {
                float xr = ar[k], xi = ai[k];
                yRe[k] += xr * br[k] - xi * bi[k];
                yIm[k] += xr * bi[k] + xi * br[k];
                xPow[k] += pw[k];
                den[k] += pc[k] * pw[k];
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
        // echo only: the microphone is coherent with the echo estimate and the linear filter
        // removes most of it (a near talker would stay in the error)
        boolean echoOnly = anyFar && ((coherence > COH_THRESHOLD && see < ECHO_ONLY_ERROR * sdd)
                || farActiveBlocks < WARMUP_BLOCKS);
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

        // 6. adaptation: frequency-domain Kalman filter with a diagonal state covariance per
        //    partition and bin (Enzner and Vary 2006; Kuech et al. 2014): the step is
        //    P_p / (sum_q P_q |X_q|^2 + (N/B) Phi), Phi the smoothed error power, so it is large
        //    while the filter is uncertain and small in double talk (the near talker is in Phi)
        if (anyFar) {
            float nb = (float) N / B, bn = (float) B / N;
            for (int k = 0; k < K; k++) {
                float ep = eRe[k] * eRe[k] + eIm[k] * eIm[k];
                phiE[k] = PHI_A * phiE[k] + (1 - PHI_A) * ep;
                mu[k] = MU0 / (den[k] + nb * phiE[k] + 1e-12f);
            }
            for (int p = 0; p < parts; p++) {
                int i = idx(offset + p);
                float[] ar = xRe[i], ai = xIm[i], br = wRe[p], bi = wIm[p], pw = xPw[i], pc = pCov[p];
                for (int k = 0; k < K; k++) {
                    float g = mu[k] * pc[k];
                    float xr = ar[k], xi = ai[k], er = eRe[k], ei = eIm[k];
                    float nr = br[k] + g * (xr * er + xi * ei);
                    float ni = bi[k] + g * (xr * ei - xi * er);
                    br[k] = nr;
                    bi[k] = ni;
                    pc[k] = pc[k] * (1 - bn * g * pw[k]) + QRATE * (nr * nr + ni * ni) + 1e-12f;
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

    /**
     * The delay estimate moved: either the first estimates were off (the filter's taps are right at
     * their absolute lags: shift them by the offset change) or the echo's bulk delay changed (the
     * taps are right relative to the delay, give or take the estimator's one-block jitter). The
     * reading of the taps that predicts the last few microphone blocks best wins.
     */
    private void followDelayChange(int newOffset) {
        int absolute = newOffset - offset;
        int best = absolute;
        double bestErr = predictionError(newOffset, absolute);
        double current = predictionError(offset, 0);
        if (current <= bestErr) {
            rejectedOffset = newOffset;
            recheckAt = blocks + RECHECK_BLOCKS;
            return;
        }
        for (int s = -2; s <= 2; s++) {
            if (s == absolute) {
                continue;
            }
            double err = predictionError(newOffset, s);
            if (err < bestErr) {
                bestErr = err;
                best = s;
            }
        }
        if (current <= bestErr) {
            rejectedOffset = newOffset;
            recheckAt = blocks + RECHECK_BLOCKS;
            return;
        }
        rejectedOffset = -1;
        moveFilter(newOffset, best);
    }

    /** Energy of microphone minus echo estimate over the last blocks, with the taps read {@code shift} partitions on. */
    private double predictionError(int off, int shift) {
        double sum = 0;
        for (int j = 0; j < CHECK_BLOCKS; j++) {
            Arrays.fill(yRe, 0f);
            Arrays.fill(yIm, 0f);
            for (int p = 0; p < parts; p++) {
                int q = p + shift;
                if (q < 0 || q >= parts) {
                    continue;
                }
                int i = idx(off + p + j);
                float[] ar = xRe[i], ai = xIm[i], br = wRe[q], bi = wIm[q];
                for (int k = 0; k < K; k++) {
                    float xr = ar[k], xi = ai[k];
                    yRe[k] += xr * br[k] - xi * bi[k];
                    yIm[k] += xr * bi[k] + xi * br[k];
                }
            }
            fft.inverse(yRe, yIm, tmp);
            float[] d = micHist[((micPos - j) % CHECK_BLOCKS + CHECK_BLOCKS) % CHECK_BLOCKS];
            for (int n = 0; n < B; n++) {
                float r = d[n] - tmp[N - B + n];
                sum += r * r;
            }
        }
        return sum;
    }

    private void moveFilter(int newOffset) {
        moveFilter(newOffset, newOffset - offset);
    }

    /**
     * Places the filter at {@code newOffset}, partition p taking the taps of partition p + shift;
     * partitions with no source restart from zero taps and the initial covariance. The rows are
     * permuted, not reallocated: the rows that drop out are the ones that restart.
     */
    private void moveFilter(int newOffset, int shift) {
        shiftRows(wRe, shift, 0f);
        shiftRows(wIm, shift, 0f);
        shiftRows(pCov, shift, P0);
        offset = newOffset;
    }

    private void shiftRows(float[][] rows, int shift, float restart) {
        for (int p = 0; p < parts; p++) {
            rowScratch[p] = rows[Math.floorMod(p + shift, parts)];
        }
        for (int p = 0; p < parts; p++) {
            rows[p] = rowScratch[p];
            int q = p + shift;
            if (q < 0 || q >= parts) {
                Arrays.fill(rows[p], restart);
            }
        }
    }
}
