package dev.odinreactive.audio.apm.internal;

/**
 * Noise suppression: STFT (10 ms hop, {@link Stft}); per-bin noise power by speech-presence
 * weighted averaging held near the minimum statistics ({@link NoiseEstimator}); decision-directed
 * a priori SNR, Cohen's speech presence probability and the optimally modified log-spectral
 * amplitude gain (OM-LSA, {@link SpectralGain}), floored at the level's maximum attenuation. With a
 * correct noise estimate speech bins get gain ~1, so near-clean speech passes nearly untouched;
 * speech-free frames get the floor. Above 8 kHz groups of four bins share one channel (the
 * estimators' cost halves; as in WebRTC, the upper band needs no finer resolution). Below 70 Hz,
 * where no voice is, the floor in dB is doubled (rumble, brown noise). One block of delay.
 */
public final class NoiseSuppressorStage implements Stage {
    /** Bins up to 8 kHz are processed one by one; above, in groups of {@link #GROUP} (188 Hz). */
    static final int SPLIT = 171;
    static final int GROUP = 4;
    /** Number of channels the estimators work on. */
    static final int CHANNELS = SPLIT + (Stft.BINS - SPLIT + GROUP - 1) / GROUP;
    /** Bins below 70 Hz (no voice there): the floor in dB is doubled. */
    private static final int SUB_VOICE_BINS = 2;

    private final Stft stft = new Stft();
    private final NoiseEstimator noise = new NoiseEstimator(CHANNELS);
    private final SpectralGain gain = new SpectralGain(CHANNELS);
    private final float[] power = new float[CHANNELS];
    private final float[] g = new float[CHANNELS];
    private final float[] presence = new float[CHANNELS];
    private final float[] floor = new float[CHANNELS];

    /** @param maxAttenuationDb the gain floor in dB (> 0) */
    public NoiseSuppressorStage(float maxAttenuationDb) {
        setMaxAttenuationDb(maxAttenuationDb);
    }

    /** Changes the floor from the next block on (the estimates are kept). */
    public void setMaxAttenuationDb(float db) {
        float gMin = (float) Math.pow(10, -db / 20.0);
        java.util.Arrays.fill(floor, gMin);
        for (int k = 0; k < SUB_VOICE_BINS; k++) {
            floor[k] = gMin * gMin;
        }
    }

    @Override
    public void process(float[] block) {
        stft.analyse(block);
        float[] re = stft.re, im = stft.im;
        for (int k = 0; k < SPLIT; k++) {
            power[k] = re[k] * re[k] + im[k] * im[k] + 1e-14f;
        }
        for (int k = SPLIT, c = SPLIT; k < Stft.BINS; k += GROUP, c++) {
            float sum = 1e-14f;
            for (int j = k, end = Math.min(k + GROUP, Stft.BINS); j < end; j++) {
                sum += re[j] * re[j] + im[j] * im[j];
            }
            power[c] = sum;
        }
        float[] n = noise.update(power);
        gain.updateSnr(power, n);
        gain.presence(presence);
        gain.gains(power, presence, floor, g);
        if (g[0] > g[1]) {
            g[0] = g[1];   // DC holds no speech; its single real degree of freedom fools the SNR estimates
        }
        for (int k = 0; k < SPLIT; k++) {
            re[k] *= g[k];
            im[k] *= g[k];
        }
        for (int k = SPLIT, c = SPLIT; k < Stft.BINS; k++) {
            float gk = g[c + (k - SPLIT) / GROUP];
            re[k] *= gk;
            im[k] *= gk;
        }
        stft.synthesise(block);
    }

    @Override
    public int latency() {
        return BLOCK;
    }
}
