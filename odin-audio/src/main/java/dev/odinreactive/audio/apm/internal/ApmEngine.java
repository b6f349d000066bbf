package dev.odinreactive.audio.apm.internal;

import dev.odinreactive.audio.apm.ApmConfig;
import dev.odinreactive.audio.apm.NoiseSuppressionLevel;

/**
 * The whole chain on 10 ms blocks, in this fixed order: pre-amplifier, high-pass, echo
 * canceller, transient suppressor, noise suppressor, analysis (VAD, volume gate, pre-roll), gain
 * controller. Reconfigurable between blocks ({@link #configure}); its latency is constant
 * whatever is enabled ({@link #latency()}). Not thread-safe.
 */
public final class ApmEngine {
    private final float preAmpDb;
    private final Slot preAmp;
    private final Slot highPass = new Slot(HighPassStage::new, 0);
    private final EchoSlotStage echoStage = new EchoSlotStage();
    private final Slot echo = new Slot(() -> echoStage.fresh(), Stage.BLOCK);
    private final Slot transient_ = new Slot(TransientSuppressorStage::new, TransientSuppressorStage.LATENCY);
    private NoiseSuppressionLevel nsLevel = NoiseSuppressionLevel.NONE;
    private Slot noise = new Slot(() -> new NoiseSuppressorStage(0f), Stage.BLOCK);
    private final Analysis analysis = new Analysis();
    private GainControllerStage gainStage;
    private final Slot gain = new Slot(() -> gainStage = new GainControllerStage(), 0);
    private ApmConfig config;
    private long streamDelayMs;

    public ApmEngine(ApmConfig config, float preAmpDb) {
        this.preAmpDb = preAmpDb;
        this.preAmp = new Slot(() -> new PreAmplifierStage(this.preAmpDb), 0);
        configure(config);
    }

    public void configure(ApmConfig c) {
        if (c.equals(config)) {
            return;
        }
        preAmp.setEnabled(c.preAmplifier());
        highPass.setEnabled(c.highPassFilter());
        echo.setEnabled(c.echoCanceller());
        transient_.setEnabled(c.transientSuppressor());
        if (c.noiseSuppressionLevel() != nsLevel) {
            NoiseSuppressionLevel lvl = c.noiseSuppressionLevel();
            if (nsLevel != NoiseSuppressionLevel.NONE && lvl != NoiseSuppressionLevel.NONE) {
                // a level change keeps the noise estimate: only the gain floor changes
                ((NoiseSuppressorStage) noise.stage()).setMaxAttenuationDb(lvl.maxAttenuationDb());
            } else if (lvl == NoiseSuppressionLevel.NONE) {
                noise.setEnabled(false);
            } else {
                noise = rebuildNoise(lvl);
            }
            nsLevel = lvl;
        }
        analysis.configure(c.voiceActivityDetection(), c.voiceActivityDetectionAttackProbability(),
                c.voiceActivityDetectionReleaseProbability(), c.volumeGate(), c.volumeGateAttackLoudness(),
                c.volumeGateReleaseLoudness());
        gain.setEnabled(c.gainController());
        config = c;
    }

    private Slot rebuildNoise(NoiseSuppressionLevel lvl) {
        Slot s = noise;
        s.replaceFactory(() -> new NoiseSuppressorStage(lvl.maxAttenuationDb()));
        s.setEnabled(true);
        return s;
    }

    public ApmConfig config() {
        return config;
    }

    public void setStreamDelayMillis(long ms) {
        streamDelayMs = ms;
        echoStage.setStreamDelayMillis(ms);
    }

    /**
     * Processes one block in place. Afterwards {@link #analysis()} holds the probability, level
     * and talk decision of the block written.
     *
     * @param far the far-end block played during these 10 ms, or null (silence)
     */
    public void process(float[] block, float[] far) {
        preAmp.process(block);
        highPass.process(block);
        echoStage.far = far;
        echo.process(block);
        transient_.process(block);
        noise.process(block);
        analysis.process(block);
        if (gainStage != null) {
            gainStage.speechProbability = analysis.probability;
        }
        gain.process(block);
    }

    public Analysis analysis() {
        return analysis;
    }

    /** Constant delay of the chain in samples. */
    public int latency() {
        return latencyBeforeAnalysis() + analysis.latency();
    }

    /** Latency before the analysis (the probability of an emitted block belongs to input this much older). */
    public int latencyBeforeAnalysis() {
        return Stage.BLOCK + TransientSuppressorStage.LATENCY + Stage.BLOCK;
    }

    /** Adapts the echo canceller (which takes a second input) to a {@link Stage}. */
    private final class EchoSlotStage {
        float[] far;
        private EchoCancellerStage current;

        Stage fresh() {
            current = new EchoCancellerStage();
            current.setStreamDelayMillis(streamDelayMs);
            EchoCancellerStage mine = current;
            return new Stage() {
                @Override
                public void process(float[] block) {
                    mine.process(block, far);
                }

                @Override
                public int latency() {
                    return BLOCK;
                }
            };
        }

        void setStreamDelayMillis(long ms) {
            if (current != null) {
                current.setStreamDelayMillis(ms);
            }
        }
    }
}
