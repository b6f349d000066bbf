package dev.odinreactive.audio.apm.internal;

/**
 * Automatic gain control towards a speech level of {@link #TARGET_DBFS} with a peak limiter.
 * The speech level is a recursive power average over the blocks within 15 dB of the current
 * estimate (a scale-invariant active-level estimate in the spirit of ITU-T P.56), so quiet and
 * hot talkers end at the same level; the gain (-20..+30 dB) slews at most 6 dB/s up and 20 dB/s
 * down; the limiter keeps block peaks at or below -1 dBFS. No delay.
 *
 * <p>Two guards keep a long quiet stretch (an echo canceller's residual while only the far end
 * talks, a muted microphone) from leaving the gain high for the next talker: when the chain's
 * VAD runs, the level is learnt only from blocks it calls speech ({@link #speechProbability});
 * and a block that needs more than {@value #FAST_DROP_DB} dB less gain than applied gets it at
 * once (attack), instead of sliding down at 20 dB/s through a second of over-amplified speech.
 */
public final class GainControllerStage implements Stage {
    /** Target RMS level of active speech, dBFS. */
    public static final float TARGET_DBFS = -24f;
    private static final float MIN_GAIN_DB = -20f;
    private static final float MAX_GAIN_DB = 30f;
    private static final float FLOOR_DBFS = -65f;
    private static final float UP_DB_PER_BLOCK = 0.06f;
    private static final float DOWN_DB_PER_BLOCK = 0.2f;
    private static final float LIMIT = (float) Math.pow(10, -1 / 20.0);
    private static final float FAST_DROP_DB = 6f;
    /** The silence rule never lets the level estimate decay below this (dBFS). */
    private static final double DECAY_FLOOR_DBFS = -50;

    /**
     * Speech probability of the block about to be processed (the chain's VAD), or NaN when no
     * VAD runs; set by the chain before each {@link #process} call.
     */
    public float speechProbability = Float.NaN;

    private double levelPower = -1;   // < 0: unknown
    private int quietBlocks;
    private float gainDb = 0;
    private float applied = 1f;

    @Override
    public void process(float[] block) {
        double p = 0;
        float peak = 0;
        for (float v : block) {
            p += v * v;
            peak = Math.max(peak, Math.abs(v));
        }
        p /= block.length;
        double db = 10 * Math.log10(p + 1e-20);
        boolean speech = Float.isNaN(speechProbability) || speechProbability >= 0.5f;
        if (!speech) {
            // the VAD says no speech: learn nothing, keep the gain where it is
        } else if (levelPower < 0) {
            if (db > FLOOR_DBFS) {
                levelPower = p;
            }
        } else {
            double levelDb = 10 * Math.log10(levelPower);
            if (db > Math.max(levelDb - 15, FLOOR_DBFS)) {
                double a = db > levelDb + 10 ? 0.8 : 0.993;   // ~1.4 s average, fast when much louder
                levelPower = a * levelPower + (1 - a) * p;
                quietBlocks = 0;
            } else if (++quietBlocks > 200 && levelDb > DECAY_FLOOR_DBFS) {
                levelPower *= 0.977;   // no speech for 2 s: let the estimate fall 0.1 dB per block
            }
        }
        boolean attack = false;
        if (levelPower > 0 && speech) {
            float want = (float) (TARGET_DBFS - 10 * Math.log10(levelPower));
            want = Math.max(MIN_GAIN_DB, Math.min(MAX_GAIN_DB, want));
            if (want > gainDb) {
                gainDb = Math.min(want, gainDb + UP_DB_PER_BLOCK);
            } else if (want < gainDb - FAST_DROP_DB) {
                gainDb = want;
                attack = true;
            } else {
                gainDb = Math.max(want, gainDb - DOWN_DB_PER_BLOCK);
            }
        }
        float g = (float) Math.pow(10, gainDb / 20.0);
        if (peak * g > LIMIT) {
            g = LIMIT / peak;
        }
        // an attack applies from the block's first sample: ramping down from the old gain would
        // push the onset into the limiter
        float from = attack ? Math.min(g, applied) : applied;
        int n = block.length;
        for (int i = 0; i < n; i++) {
            float gi = from + (g - from) * (i + 1) / n;
            float y = block[i] * gi;
            if (y > LIMIT) {
                y = LIMIT;
            } else if (y < -LIMIT) {
                y = -LIMIT;
            }
            block[i] = y;
        }
        applied = g;
    }

    /** Current gain (before limiting), dB. */
    public float gainDb() {
        return gainDb;
    }
}
