package dev.odinreactive.bench.apm;

import dev.odinreactive.audio.apm.ApmConfig;
import dev.odinreactive.audio.apm.NoiseSuppressionLevel;
import dev.odinreactive.audio.apm.internal.Analysis;
import dev.odinreactive.audio.apm.internal.ApmEngine;
import dev.odinreactive.audio.apm.internal.EchoCancellerStage;
import dev.odinreactive.audio.apm.internal.GainControllerStage;
import dev.odinreactive.audio.apm.internal.HighPassStage;
import dev.odinreactive.audio.apm.internal.NoiseSuppressorStage;
import dev.odinreactive.audio.apm.internal.PreAmplifierStage;
import dev.odinreactive.audio.apm.internal.TransientSuppressorStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of each APM filter alone and of the whole chain per 10 ms frame (480 samples at 48 kHz),
 * one thread, on {@link ApmWorkload} (speech-like talker over noise with the echo of a far-end
 * talker; the far end is passed to the echo canceller and the chain with every block). The chain
 * is {@code fullChain}: HPF + AEC + NS (high) + VAD + AGC, the configuration of the WebRTC/SpeexDSP
 * anchors of issue 4 (138/293 us); {@code defaultChain} is ODIN's default configuration. Each
 * method copies the next input block into a work buffer (about 0.1 us) and processes it in place;
 * the processing itself allocates nothing ({@code -prof gc}: 0 B/op).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ApmBenchmark -prof gc}. On a loaded machine
 * prefer {@link ApmCpuHarness} (the same operations in thread CPU time).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ApmBenchmark {
    private static final int F = ApmWorkload.BLOCK;

    private ApmWorkload input;
    private final float[] work = new float[F];
    private int i;

    private HighPassStage highPass;
    private PreAmplifierStage preAmp;
    private NoiseSuppressorStage noise;
    private TransientSuppressorStage transientSuppressor;
    private GainControllerStage gain;
    private Analysis vad;
    private Analysis gate;
    private EchoCancellerStage echo;
    private ApmEngine chain;
    private ApmEngine defaultChain;

    @Setup
    public void setup() {
        input = new ApmWorkload();
        highPass = new HighPassStage();
        preAmp = new PreAmplifierStage(6);
        noise = new NoiseSuppressorStage(NoiseSuppressionLevel.HIGH.maxAttenuationDb());
        transientSuppressor = new TransientSuppressorStage();
        gain = new GainControllerStage();
        vad = new Analysis();
        vad.configure(true, 0.9f, 0.8f, false, -30f, -40f);
        gate = new Analysis();
        gate.configure(false, 0.9f, 0.8f, true, -30f, -40f);
        echo = new EchoCancellerStage();
        chain = new ApmEngine(fullChainConfig(), 6);
        defaultChain = new ApmEngine(ApmConfig.defaults(), 6);
    }

    /** HPF + AEC + NS high + VAD + AGC: the anchors' "full" configuration. */
    static ApmConfig fullChainConfig() {
        return ApmConfig.disabled().withHighPassFilter(true).withEchoCanceller(true)
                .withNoiseSuppressionLevel(NoiseSuppressionLevel.HIGH)
                .withVoiceActivityDetection(true, 0.9f, 0.8f).withGainController(true);
    }

    private float[] next() {
        i = i + 1 == ApmWorkload.BLOCKS ? 0 : i + 1;
        System.arraycopy(input.near[i], 0, work, 0, F);
        return work;
    }

    @Benchmark
    public float[] highPass() {
        float[] b = next();
        highPass.process(b);
        return b;
    }

    @Benchmark
    public float[] preAmplifier() {
        float[] b = next();
        preAmp.process(b);
        return b;
    }

    @Benchmark
    public float[] noiseSuppressor() {
        float[] b = next();
        noise.process(b);
        return b;
    }

    @Benchmark
    public float[] transientSuppressor() {
        float[] b = next();
        transientSuppressor.process(b);
        return b;
    }

    @Benchmark
    public float[] gainController() {
        float[] b = next();
        gain.process(b);
        return b;
    }

    /** Voice activity detection with its talk decision and pre-roll (the chain's analysis with only the VAD on). */
    @Benchmark
    public float voiceActivity() {
        vad.process(next());
        return vad.probability;
    }

    /** Volume gate with its talk decision and pre-roll. */
    @Benchmark
    public boolean volumeGate() {
        gate.process(next());
        return gate.talking;
    }

    @Benchmark
    public float[] echoCanceller() {
        float[] b = next();
        echo.process(b, input.far[i]);
        return b;
    }

    /** HPF + AEC + NS high + VAD + AGC (plus the chain's bypass delays and pre-roll). */
    @Benchmark
    public float[] fullChain() {
        float[] b = next();
        chain.process(b, input.far[i]);
        return b;
    }

    /** ODIN's defaults: VAD, AEC, NS moderate, AGC. */
    @Benchmark
    public float[] defaultChain() {
        float[] b = next();
        defaultChain.process(b, input.far[i]);
        return b;
    }
}
