package dev.odinreactive.audio.apm.internal;

/**
 * Bulk echo delay (0-500 ms, 10 ms resolution) from binary spectra: each block's far-end and
 * microphone band energies become one bit per band (above the band's running mean or not), and
 * the delay is the lag whose recursively averaged Hamming distance is smallest, accepted when it
 * stands clearly below the average distance. After the delay estimator of the WebRTC project
 * (A. Ehrenberg / B. Kleijn's binary-spectrum method, "delay_estimator.c").
 */
public final class DelayEstimator {
    public static final int MAX_DELAY_BLOCKS = 50;
    private static final int BANDS = 32;
    private static final int K0 = 6;      // ~280 Hz
    private static final int KW = 3;      // 3 bins per band: up to ~4.8 kHz
    private static final int HIST = MAX_DELAY_BLOCKS + 1;

    private final float[] farMean = new float[BANDS];
    private final float[] micMean = new float[BANDS];
    private final int[] farBits = new int[HIST];
    private final boolean[] farActive = new boolean[HIST];
    private final float[] cost = new float[HIST];
    private int pos;
    private int updates;
    private int candidate = -1;
    private int candidateCount;
    private int delay = -1;

    public DelayEstimator() {
        java.util.Arrays.fill(cost, BANDS / 2f);
    }

    /**
     * @param farRe far spectrum of this block, {@code farIm} likewise
     * @param micPower microphone power spectrum of this block
     * @param farActive whether the far end carries signal in this block
     * @return the current estimate in blocks, or -1 while unknown
     */
    public int update(float[] farRe, float[] farIm, float[] micPower, boolean farActive, boolean micActive) {
        int fb = 0, mb = 0;
        for (int b = 0; b < BANDS; b++) {
            float fe = 0, me = 0;
            for (int k = K0 + b * KW, e = k + KW; k < e; k++) {
                fe += farRe[k] * farRe[k] + farIm[k] * farIm[k];
                me += micPower[k];
            }
            if (farActive) {
                farMean[b] = farMean[b] == 0 ? fe : 0.97f * farMean[b] + 0.03f * fe;
            }
            if (micActive) {
                micMean[b] = micMean[b] == 0 ? me : 0.97f * micMean[b] + 0.03f * me;
            }
            if (fe > farMean[b]) {
                fb |= 1 << b;
            }
            if (me > micMean[b]) {
                mb |= 1 << b;
            }
        }
        pos = (pos + 1) % HIST;
        farBits[pos] = fb;
        this.farActive[pos] = farActive;
        if (!micActive) {
            return delay;
        }
        float min = Float.MAX_VALUE, sum = 0;
        int best = -1, n = 0;
        for (int d = 0; d < HIST; d++) {
            int i = (pos - d + HIST) % HIST;
            if (this.farActive[i]) {
                cost[d] = 0.96f * cost[d] + 0.04f * Integer.bitCount(mb ^ farBits[i]);
            }
            sum += cost[d];
            n++;
            if (cost[d] < min) {
                min = cost[d];
                best = d;
            }
        }
        updates++;
        float mean = sum / n;
        if (updates > 20 && mean - min > 3.5f) {
            if (best == candidate) {
                if (++candidateCount >= 10) {
                    delay = best;
                }
            } else {
                candidate = best;
                candidateCount = 0;
            }
        }
        return delay;
    }

    /**
     * The capture path's delay changed by {@code blocks} (a new stream delay was set): moves every
     * lag's statistics and the estimate by as much.
     */
    public void shift(int blocks) {
        if (blocks == 0) {
            return;
        }
        // in place: walk against the shift so that every source is read before it is overwritten
        for (int i = 0; i < HIST; i++) {
            int d = blocks > 0 ? HIST - 1 - i : i;
            int from = d - blocks;
            cost[d] = from >= 0 && from < HIST ? cost[from] : BANDS / 2f;
        }
        if (delay >= 0) {
            delay = Math.max(0, Math.min(MAX_DELAY_BLOCKS, delay + blocks));
        }
        candidate = -1;
        candidateCount = 0;
    }

    public int delay() {
        return delay;
    }
}
