package dev.odinreactive.audio.apm.internal;

import java.util.Arrays;

/**
 * Keyboard-click (transient) suppression on 1 ms sub-blocks. A click is an abrupt onset of
 * high-band (above 2 kHz) energy, 13 dB over its slowly tracked background and 10 dB over the
 * previous millisecond, whose full-band energy then decays by 7 dB within 5 ms: speech onsets,
 * plosives followed by vowels and fricatives do not decay like that. While a click lasts (at most
 * 30 ms, until the energy is back near the background) the 1 ms envelope is clamped to 3 dB above
 * the full-band background measured before the onset; gains ramp per sample and fall one
 * millisecond before the onset. Six milliseconds of look-ahead ({@link #LATENCY} samples). The
 * detector follows energy-envelope onset detection as in Duxbury, Sandler and Davies, "A hybrid
 * approach to musical note onset detection" (DAFx 2002).
 */
public final class TransientSuppressorStage implements Stage {
    private static final int SUB = 48;
    private static final int LOOK = 6;
    /** Delay of this stage in samples (6 ms). */
    public static final int LATENCY = SUB * LOOK;
    private static final int NSUB = BLOCK / SUB;
    private static final int H = 64;  // history of sub-blocks (power of two > LOOK + NSUB)
    static float onsetOverBg = 20f;
    static float onsetOverPrev = 10f;
    static float decayRatio = 5f;
    private static final int MAX_CLICK_SUBS = 30;

    private final double[] hp = new double[5];
    private double z1;
    private double z2;
    private final float[] hist = new float[LATENCY + BLOCK];
    private final float[] eh = new float[H];
    private final float[] ef = new float[H];
    private final float[] gain = new float[H];
    private long n;           // sub-blocks received
    private float bgHigh = 1e-10f;
    private float bgFull = 1e-10f;
    private float clickRef;
    private int clickLeft;
    private float prevEff = 1f;

    public TransientSuppressorStage() {
        double w0 = 2 * Math.PI * 2000 / 48000, alpha = Math.sin(w0) / (2 * 0.7071), cos = Math.cos(w0);
        double a0 = 1 + alpha;
        hp[0] = (1 + cos) / 2 / a0;
        hp[1] = -(1 + cos) / a0;
        hp[2] = (1 + cos) / 2 / a0;
        hp[3] = -2 * cos / a0;
        hp[4] = (1 - alpha) / a0;
        Arrays.fill(gain, 1f);
        Arrays.fill(eh, 1e-12f);
        Arrays.fill(ef, 1e-12f);
    }

    @Override
    public void process(float[] block) {
        System.arraycopy(block, 0, hist, LATENCY, BLOCK);
        for (int s = 0; s < NSUB; s++) {
            float h = 0, f = 0;
            int off = s * SUB;
            for (int i = 0; i < SUB; i++) {
                double x = block[off + i];
                double y = hp[0] * x + z1;
                z1 = hp[1] * x - hp[3] * y + z2;
                z2 = hp[2] * x - hp[4] * y;
                h += (float) (y * y);
                f += (float) (x * x);
            }
            int j = (int) (n & (H - 1));
            eh[j] = h / SUB + 1e-12f;
            ef[j] = f / SUB + 1e-12f;
            n++;
            decide(n - LOOK);   // sub-block whose 5 ms future is known
        }
        // output: sub-blocks n-10-LOOK .. n-1-LOOK, gain falling one sub-block early
        for (int m = 0; m < NSUB; m++) {
            long sb = n - NSUB - LOOK + m;
            float eff = Math.min(g(sb), g(sb + 1));
            int off = m * SUB;
            for (int i = 0; i < SUB; i++) {
                float gi = prevEff + (eff - prevEff) * (i + 1) / SUB;
                block[off + i] = hist[off + i] * gi;
            }
            prevEff = eff;
        }
        System.arraycopy(hist, BLOCK, hist, 0, LATENCY);
    }

    private float g(long sb) {
        return sb < 0 ? 1f : gain[(int) (sb & (H - 1))];
    }

    private void decide(long d) {
        if (d < 1) {
            return;
        }
        int i = (int) (d & (H - 1));
        int prev = (int) ((d - 1) & (H - 1));
        int later = (int) ((d + LOOK - 1) & (H - 1));
        float g = 1f;
        if (clickLeft == 0 && eh[i] > onsetOverBg * bgHigh && eh[i] > onsetOverPrev * eh[prev] && eh[i] > 1e-9f
                && ef[later] * decayRatio < ef[i]) {
            clickLeft = MAX_CLICK_SUBS;
            clickRef = bgFull;
        }
        if (clickLeft > 0) {
            clickLeft--;
            float allowed = 2f * clickRef;
            if (ef[i] > allowed) {
                g = (float) Math.sqrt(allowed / ef[i]);
            } else if (ef[i] < 1.5f * clickRef) {
                clickLeft = 0;   // back at the background: the click is over
            }
        } else {
            // background: fast fall, slow rise (~50 ms)
            bgHigh = eh[i] < bgHigh ? 0.7f * bgHigh + 0.3f * eh[i] : 0.98f * bgHigh + 0.02f * eh[i];
            bgFull = ef[i] < bgFull ? 0.7f * bgFull + 0.3f * ef[i] : 0.98f * bgFull + 0.02f * ef[i];
        }
        gain[i] = g;
    }

    @Override
    public int latency() {
        return LATENCY;
    }
}
