package dev.odinreactive.audio.apm.internal;

/**
 * Noise suppression: STFT (10 ms hop, {@link Stft}), MCRA noise tracking ({@link NoiseEstimator})
 * and OM-LSA spectral gains ({@link SpectralGain}) floored at the level's maximum attenuation.
 * One block of delay.
 */
public final class NoiseSuppressorStage implements Stage {
    private final Stft stft = new Stft();
    private final NoiseEstimator noise = new NoiseEstimator(Stft.BINS);
    private final SpectralGain gain = new SpectralGain(Stft.BINS);
    private final float[] power = new float[Stft.BINS];
    private final float[] g = new float[Stft.BINS];
    private final float[] gSmooth = new float[Stft.BINS];
    private float gMin;

    /** @param maxAttenuationDb the gain floor in dB (> 0) */
    public NoiseSuppressorStage(float maxAttenuationDb) {
        this.gMin = (float) Math.pow(10, -maxAttenuationDb / 20.0);
        java.util.Arrays.fill(gSmooth, 1f);
    }

    public void setMaxAttenuationDb(float db) {
        gMin = (float) Math.pow(10, -db / 20.0);
    }

    @Override
    public void process(float[] block) {
        stft.analyse(block);
        float[] re = stft.re, im = stft.im;
        for (int k = 0; k < Stft.BINS; k++) {
            power[k] = re[k] * re[k] + im[k] * im[k] + 1e-14f;
        }
        float[] n = noise.update(power);
        gain.updateSnr(power, n);
        gain.gains(power, noise.presence(), gMin, g);
        for (int k = 0; k < Stft.BINS; k++) {
            re[k] *= g[k];
            im[k] *= g[k];
        }
        stft.synthesise(block);
    }

    @Override
    public int latency() {
        return BLOCK;
    }
}
