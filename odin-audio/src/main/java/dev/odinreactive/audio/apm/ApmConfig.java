package dev.odinreactive.audio.apm;

import java.util.Objects;

/**
 * The audio processing configuration, field for field ODIN's {@code OdinApmConfig}; a value, so a
 * new configuration is a new record ({@code with...} methods help). {@link #defaults()} are ODIN's
 * documented defaults. The constructor validates: probabilities in [0, 1] with release at most
 * attack, loudness in [-120, 0] dBFS with release at most attack; violations throw
 * {@link IllegalArgumentException}.
 *
 * @param voiceActivityDetection enables the voice activity detector
 * @param voiceActivityDetectionAttackProbability speech probability at which the VAD engages
 * @param voiceActivityDetectionReleaseProbability speech probability below which the VAD disengages (after the hang-over)
 * @param volumeGate enables the volume gate
 * @param volumeGateAttackLoudness RMS level (dBFS) at which the gate engages
 * @param volumeGateReleaseLoudness RMS level (dBFS) below which the gate disengages (after the hang-over)
 * @param echoCanceller enables the acoustic echo canceller (needs the reverse stream)
 * @param highPassFilter enables the 80 Hz high-pass filter
 * @param preAmplifier enables the fixed pre-amplifier (+{@value Apm#PRE_AMPLIFIER_DB} dB)
 * @param noiseSuppressionLevel noise suppression level, {@link NoiseSuppressionLevel#NONE} to disable
 * @param transientSuppressor enables the keyboard-click suppressor
 * @param gainController enables automatic gain control with a limiter
 */
public record ApmConfig(
        boolean voiceActivityDetection,
        float voiceActivityDetectionAttackProbability,
        float voiceActivityDetectionReleaseProbability,
        boolean volumeGate,
        float volumeGateAttackLoudness,
        float volumeGateReleaseLoudness,
        boolean echoCanceller,
        boolean highPassFilter,
        boolean preAmplifier,
        NoiseSuppressionLevel noiseSuppressionLevel,
        boolean transientSuppressor,
        boolean gainController) {

    public ApmConfig {
        Objects.requireNonNull(noiseSuppressionLevel, "noiseSuppressionLevel");
        checkProbability("voiceActivityDetectionAttackProbability", voiceActivityDetectionAttackProbability);
        checkProbability("voiceActivityDetectionReleaseProbability", voiceActivityDetectionReleaseProbability);
        if (voiceActivityDetectionReleaseProbability > voiceActivityDetectionAttackProbability) {
            throw new IllegalArgumentException("VAD release probability " + voiceActivityDetectionReleaseProbability
                    + " above attack probability " + voiceActivityDetectionAttackProbability);
        }
        checkLoudness("volumeGateAttackLoudness", volumeGateAttackLoudness);
        checkLoudness("volumeGateReleaseLoudness", volumeGateReleaseLoudness);
        if (volumeGateReleaseLoudness > volumeGateAttackLoudness) {
            throw new IllegalArgumentException("volume gate release loudness " + volumeGateReleaseLoudness
                    + " dBFS above attack loudness " + volumeGateAttackLoudness + " dBFS");
        }
    }

    /**
     * ODIN's defaults: VAD on (attack 0.9, release 0.8), volume gate off (-30 / -40 dBFS), echo
     * canceller on, high-pass off, pre-amplifier off, moderate noise suppression, transient
     * suppressor off, gain controller on.
     */
    public static ApmConfig defaults() {
        return new ApmConfig(true, 0.9f, 0.8f, false, -30f, -40f, true, false, false,
                NoiseSuppressionLevel.MODERATE, false, true);
    }

    /** Everything off: the chain passes audio through (with its constant latency). */
    public static ApmConfig disabled() {
        return new ApmConfig(false, 0.9f, 0.8f, false, -30f, -40f, false, false, false,
                NoiseSuppressionLevel.NONE, false, false);
    }

    public ApmConfig withVoiceActivityDetection(boolean on, float attack, float release) {
        return new ApmConfig(on, attack, release, volumeGate, volumeGateAttackLoudness, volumeGateReleaseLoudness,
                echoCanceller, highPassFilter, preAmplifier, noiseSuppressionLevel, transientSuppressor, gainController);
    }

    public ApmConfig withVolumeGate(boolean on, float attackDbfs, float releaseDbfs) {
        return new ApmConfig(voiceActivityDetection, voiceActivityDetectionAttackProbability,
                voiceActivityDetectionReleaseProbability, on, attackDbfs, releaseDbfs,
                echoCanceller, highPassFilter, preAmplifier, noiseSuppressionLevel, transientSuppressor, gainController);
    }

    public ApmConfig withEchoCanceller(boolean on) {
        return new ApmConfig(voiceActivityDetection, voiceActivityDetectionAttackProbability,
                voiceActivityDetectionReleaseProbability, volumeGate, volumeGateAttackLoudness, volumeGateReleaseLoudness,
                on, highPassFilter, preAmplifier, noiseSuppressionLevel, transientSuppressor, gainController);
    }

    public ApmConfig withHighPassFilter(boolean on) {
        return new ApmConfig(voiceActivityDetection, voiceActivityDetectionAttackProbability,
                voiceActivityDetectionReleaseProbability, volumeGate, volumeGateAttackLoudness, volumeGateReleaseLoudness,
                echoCanceller, on, preAmplifier, noiseSuppressionLevel, transientSuppressor, gainController);
    }

    public ApmConfig withPreAmplifier(boolean on) {
        return new ApmConfig(voiceActivityDetection, voiceActivityDetectionAttackProbability,
                voiceActivityDetectionReleaseProbability, volumeGate, volumeGateAttackLoudness, volumeGateReleaseLoudness,
                echoCanceller, highPassFilter, on, noiseSuppressionLevel, transientSuppressor, gainController);
    }

    public ApmConfig withNoiseSuppressionLevel(NoiseSuppressionLevel level) {
        return new ApmConfig(voiceActivityDetection, voiceActivityDetectionAttackProbability,
                voiceActivityDetectionReleaseProbability, volumeGate, volumeGateAttackLoudness, volumeGateReleaseLoudness,
                echoCanceller, highPassFilter, preAmplifier, level, transientSuppressor, gainController);
    }

    public ApmConfig withTransientSuppressor(boolean on) {
        return new ApmConfig(voiceActivityDetection, voiceActivityDetectionAttackProbability,
                voiceActivityDetectionReleaseProbability, volumeGate, volumeGateAttackLoudness, volumeGateReleaseLoudness,
                echoCanceller, highPassFilter, preAmplifier, noiseSuppressionLevel, on, gainController);
    }

    public ApmConfig withGainController(boolean on) {
        return new ApmConfig(voiceActivityDetection, voiceActivityDetectionAttackProbability,
                voiceActivityDetectionReleaseProbability, volumeGate, volumeGateAttackLoudness, volumeGateReleaseLoudness,
                echoCanceller, highPassFilter, preAmplifier, noiseSuppressionLevel, transientSuppressor, on);
    }

    private static void checkProbability(String name, float p) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + p);
        }
    }

    private static void checkLoudness(String name, float db) {
        if (!(db >= -120f && db <= 0f)) {
            throw new IllegalArgumentException(name + " must be in [-120, 0] dBFS: " + db);
        }
    }
}
