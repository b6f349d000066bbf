package dev.odinreactive.audio.apm.internal;

/**
 * Speech probability per 10 ms block: causal features of the block and its recent past
 * ({@link VadFeatures}: level, per-band a-posteriori SNR against a minimum-statistics noise floor,
 * long-term signal variability, flatness, flux, harmonicity) fed to a small trained perceptron
 * ({@link VadModel}), whose logit is smoothed with fast attack and slower release (a soft hang-over,
 * like the HMM-based one of Sohn, Kim and Sung, "A statistical model-based voice activity detector",
 * IEEE SPL 1999). Trained to predict speech as the project's harness labels it: blocks within 30 dB
 * of the talker's active level, pauses up to 100 ms bridged. Analysis only: the block is not
 * modified; no delay. Not thread-safe.
 */
public final class VoiceActivityDetector {
    static final int SILENCE_DBFS = -100;
    private static final double SILENCE_POWER = 1e-10;
    private final VadModel model;
    private final VadFeatures features = new VadFeatures();
    private final float[] x = new float[VadFeatures.COUNT];
    private final float[] z = new float[VadFeatures.COUNT];
    private final float[] hidden;
    private float smoothed = Float.NaN;
    private float probability;

    public VoiceActivityDetector() {
        this(VadModel.standard());
    }

    VoiceActivityDetector(VadModel model) {
        this.model = model;
        this.hidden = new float[model.hidden];
    }

    /**
     * Analyses one block (480 samples) and returns the speech probability in [0, 1]. A block of
     * digital silence (RMS below {@value #SILENCE_DBFS} dBFS: a chain's delay lines starting up, a
     * muted input) scores 0 and leaves the features' history and noise floors untouched, so
     * zeros never drag the floors down and make the next real noise look like speech.
     */
    public float analyse(float[] block) {
        double e = 0;
        for (float v : block) {
            e += v * v;
        }
        if (e <= SILENCE_POWER * block.length) {
            probability = 0f;
            return probability;
        }
        features.compute(block, x);
        float l = model.logit(x, z, hidden);
        if (Float.isNaN(smoothed)) {
            smoothed = l;
        } else {
            smoothed += (l > smoothed ? model.attack : model.release) * (l - smoothed);
        }
        probability = (float) (1 / (1 + Math.exp(-smoothed)));
        return probability;
    }

    /** The probability last returned by {@link #analyse}. */
    public float probability() {
        return probability;
    }
}
