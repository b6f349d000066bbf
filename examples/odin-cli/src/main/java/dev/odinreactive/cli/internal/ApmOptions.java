package dev.odinreactive.cli.internal;

import dev.odinreactive.audio.apm.Apm;
import dev.odinreactive.audio.apm.ApmConfig;
import dev.odinreactive.audio.apm.NoiseSuppressionLevel;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The audio processing options shared by {@code odin apm} and {@code odin join} (a picocli
 * {@code @Mixin}): one flag per filter of {@link ApmConfig}, all off unless given.
 */
public final class ApmOptions {

    @Option(names = "--ns", paramLabel = "LEVEL", defaultValue = "none",
            description = "Noise suppression: none, low, moderate, high, veryhigh. Default: ${DEFAULT-VALUE}.")
    private String ns;

    @Option(names = "--aec", description = "Echo canceller (far end: `odin apm` --reverse, else silence; `odin join`: the room's mix).")
    private boolean aec;

    @Option(names = "--agc", description = "Automatic gain control with limiter.")
    private boolean agc;

    @Option(names = "--hpf", description = "80 Hz high-pass filter.")
    private boolean hpf;

    @Option(names = "--preamp", description = "Pre-amplifier (+" + Apm.PRE_AMPLIFIER_DB + " dB).")
    private boolean preamp;

    @Option(names = "--transient", description = "Keyboard-click suppressor.")
    private boolean transientSuppressor;

    @Option(names = "--vad", description = "Voice activity detection.")
    private boolean vad;

    @Option(names = "--vad-attack", paramLabel = "P", defaultValue = "0.9", description = "VAD attack probability. Default: ${DEFAULT-VALUE}.")
    private float vadAttack;

    @Option(names = "--vad-release", paramLabel = "P", defaultValue = "0.8", description = "VAD release probability. Default: ${DEFAULT-VALUE}.")
    private float vadRelease;

    @Option(names = "--gate", description = "Volume gate.")
    private boolean gate;

    @Option(names = "--gate-attack", paramLabel = "DB", defaultValue = "-30", description = "Gate attack loudness, dBFS. Default: ${DEFAULT-VALUE}.")
    private float gateAttack;

    @Option(names = "--gate-release", paramLabel = "DB", defaultValue = "-40", description = "Gate release loudness, dBFS. Default: ${DEFAULT-VALUE}.")
    private float gateRelease;

    /** The configuration the flags ask for (everything else off); bad values: IllegalArgumentException. */
    public ApmConfig config() {
        return ApmConfig.disabled()
                .withVoiceActivityDetection(vad, vadAttack, vadRelease)
                .withVolumeGate(gate, gateAttack, gateRelease)
                .withEchoCanceller(aec)
                .withHighPassFilter(hpf)
                .withPreAmplifier(preamp)
                .withNoiseSuppressionLevel(level(ns))
                .withTransientSuppressor(transientSuppressor)
                .withGainController(agc);
    }

    /** Whether any filter was asked for (only then does a stream run through the APM at all). */
    public boolean requested() {
        return vad || gate || aec || hpf || preamp || transientSuppressor || agc || level(ns) != NoiseSuppressionLevel.NONE;
    }

    private static NoiseSuppressionLevel level(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> NoiseSuppressionLevel.NONE;
            case "low" -> NoiseSuppressionLevel.LOW;
            case "moderate" -> NoiseSuppressionLevel.MODERATE;
            case "high" -> NoiseSuppressionLevel.HIGH;
            case "veryhigh", "very_high", "very-high" -> NoiseSuppressionLevel.VERY_HIGH;
            default -> throw new IllegalArgumentException("--ns must be none, low, moderate, high or veryhigh: " + name);
        };
    }
}
