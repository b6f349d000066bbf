package dev.odinreactive.audio.apm.internal;

/**
 * Noise suppression: STFT (10 ms hop, {@link Stft}); per-bin noise power by speech-presence
 * weighted averaging held near the minimum statistics ({@link NoiseEstimator}); decision-directed
 * a priori SNR, Cohen's speech presence probability and the optimally modified log-spectral
 * amplitude gain (OM-LSA, {@link SpectralGain}), floored at the level's maximum attenuation. With a
 * correct noise estimate speech bins get gain ~1, so near-clean speech passes nearly untouched;
 * speech-free frames get the floor. One block of delay.
 */
public final class NoiseSuppressorStage implements Stage {
    private final Stft stft = new Stft();
    private final NoiseEstimator noise = new NoiseEstimator(Stft.BINS);
    private final SpectralGain gain = new SpectralGain(Stft.BINS);
    private final float[] power = new float[Stft.BINS];
    private final float[] g = new float[Stft.BINS];
    private float gMin;
    private final float[] presence = new float[Stft.BINS];

    /** @param maxAttenuationDb the gain floor in dB (> 0) */
    public NoiseSuppressorStage(float maxAttenuationDb) {
        this.gMin = (float) Math.pow(10, -maxAttenuationDb / 20.0);
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
        gain.presence(presence);
        gain.gains(power, presence, gMin, g);
        if (g[0] > g[1]) {
            g[0] = g[1];   // DC holds no speech; its single real degree of freedom fools the SNR estimates
        }
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
