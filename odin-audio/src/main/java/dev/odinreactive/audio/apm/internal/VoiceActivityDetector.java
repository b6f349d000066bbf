package dev.odinreactive.audio.apm.internal;

/**
 * Speech probability per 10 ms block from a statistical model: the mean log likelihood ratio of
 * speech over noise across the 150-4000 Hz bins (Sohn, Kim and Sung, "A statistical model-based
 * voice activity detector", IEEE SPL 1999), with MCRA noise tracking and decision-directed SNRs,
 * mapped through a logistic function and smoothed with fast attack and slow decay (a soft
 * hang-over, as Sohn's HMM-based one). Analysis only: the block is not modified; no delay.
 */
public final class VoiceActivityDetector {
    private static final int K_LO = Math.round(150 / Stft.BIN_HZ);
    private static final int K_HI = Math.round(4000 / Stft.BIN_HZ);
    static float center = 0.6f;
    static float slope = 2.5f;
    static float attack = 0.6f;
    static float decay = 0.92f;

    private final Stft stft = new Stft();
    private final NoiseEstimator noise = new NoiseEstimator(Stft.BINS);
    private final SpectralGain snr = new SpectralGain(Stft.BINS);
    private final float[] power = new float[Stft.BINS];
    private final float[] dummyGain = new float[Stft.BINS];
    private float smoothed;
    private float probability;

    /** Analyses one block and returns the speech probability in [0, 1]. */
    public float analyse(float[] block) {
        stft.analyse(block);
        for (int k = 0; k < Stft.BINS; k++) {
            power[k] = stft.re[k] * stft.re[k] + stft.im[k] * stft.im[k] + 1e-14f;
        }
        float[] n = noise.update(power);
        snr.updateSnr(power, n);
        float[] xi = snr.xi(), gamma = snr.gamma();
        double sum = 0;
        for (int k = K_LO; k <= K_HI; k++) {
            float x = xi[k];
            sum += gamma[k] * x / (1 + x) - Math.log1p(x);
        }
        float llr = (float) (sum / (K_HI - K_LO + 1));
        // keeps the decision-directed recursion going (clean power estimate)
        snr.gains(power, null, 1e-3f, dummyGain);
        float l = (float) Math.log1p(Math.max(llr, 0));
        smoothed = l > smoothed ? attack * l + (1 - attack) * smoothed : decay * smoothed + (1 - decay) * l;
        probability = (float) (1 / (1 + Math.exp(-slope * 4 * (smoothed - center))));
        return probability;
    }

    public float probability() {
        return probability;
    }
}
