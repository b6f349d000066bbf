package dev.odinreactive.audio.apm;

/**
 * Aggressiveness of the noise suppressor, as ODIN's {@code OdinNoiseSuppressionLevel}. The nominal
 * figure is the level's name in ODIN; {@link #maxAttenuationDb()} is the spectral gain floor this
 * implementation uses (a few dB below the nominal value, as WebRTC's suppressor also attenuates
 * speech-free noise beyond its nominal level).
 */
public enum NoiseSuppressionLevel {
    /** No suppression. */
    NONE(0, 0),
    /** Low suppression (nominal 6 dB). */
    LOW(6, 9),
    /** Moderate suppression (nominal 12 dB). */
    MODERATE(12, 15),
    /** High suppression (nominal 18 dB). */
    HIGH(18, 21),
    /** Very high suppression (nominal 21 dB). */
    VERY_HIGH(21, 25);

    private final int nominalDb;
    private final float maxAttenuationDb;

    NoiseSuppressionLevel(int nominalDb, float maxAttenuationDb) {
        this.nominalDb = nominalDb;
        this.maxAttenuationDb = maxAttenuationDb;
    }

    /** ODIN's nominal suppression of this level, dB. */
    public int nominalDb() {
        return nominalDb;
    }

    /** Largest attenuation the spectral gain may apply to a bin, dB (0 for {@link #NONE}). */
    public float maxAttenuationDb() {
        return maxAttenuationDb;
    }
}
