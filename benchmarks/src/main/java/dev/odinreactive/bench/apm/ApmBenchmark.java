package dev.odinreactive.bench.apm;

import dev.odinreactive.audio.apm.ApmConfig;
import dev.odinreactive.audio.apm.NoiseSuppressionLevel;
import dev.odinreactive.audio.apm.internal.ApmEngine;
import dev.odinreactive.audio.apm.internal.EchoCancellerStage;
import dev.odinreactive.audio.apm.internal.GainControllerStage;
import dev.odinreactive.audio.apm.internal.HighPassStage;
import dev.odinreactive.audio.apm.internal.NoiseSuppressorStage;
import dev.odinreactive.audio.apm.internal.PreAmplifierStage;
import dev.odinreactive.audio.apm.internal.TransientSuppressorStage;
import dev.odinreactive.audio.apm.internal.VoiceActivityDetector;
import java.util.Random;
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
 * Cost of each APM filter and of the whole chain per 10 ms frame (480 samples at 48 kHz), one
 * thread. The input cycles through 2 s of a syllabic harmonic "talker" over noise, with an echo of
 * a noise far end for the echo canceller, so adaptive code paths stay busy. The full chain is
 * HPF + AEC + NS (high) + VAD + AGC, as the WebRTC/SpeexDSP anchors of issue 4 (138/293 us).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ApmBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ApmBenchmark {
    private static final int F = 480;
    private static final int BLOCKS = 200;

    private final float[][] near = new float[BLOCKS][F];
    private final float[][] far = new float[BLOCKS][F];
    private final float[] work = new float[F];
    private int i;

    private HighPassStage highPass;
    private PreAmplifierStage preAmp;
    private NoiseSuppressorStage noise;
    private TransientSuppressorStage transientSuppressor;
    private GainControllerStage gain;
    private VoiceActivityDetector vad;
    private EchoCancellerStage echo;
    private ApmEngine chain;

    @Setup
    public void setup() {
        Random r = new Random(1);
        double phase = 0;
        float[] farAll = new float[BLOCKS * F + 4800];
        for (int n = 0; n < farAll.length; n++) {
            farAll[n] = (float) (0.05 * r.nextGaussian());
        }
        for (int b = 0; b < BLOCKS; b++) {
            for (int n = 0; n < F; n++) {
                int t = b * F + n;
                phase += 2 * Math.PI * (140 + 30 * Math.sin(t * 1e-4)) / 48000;
                double env = (t / 12000) % 3 == 2 ? 0 : 1;
                double v = 0;
                for (int h = 1; h <= 10; h++) {
                    v += Math.sin(h * phase) / h;
                }
                far[b][n] = farAll[t + 4800];
                near[b][n] = (float) (0.05 * env * v + 0.003 * r.nextGaussian() + 0.3 * farAll[t + 4800 - 2400]);
            }
        }
        highPass = new HighPassStage();
        preAmp = new PreAmplifierStage(6);
        noise = new NoiseSuppressorStage(NoiseSuppressionLevel.HIGH.maxAttenuationDb());
        transientSuppressor = new TransientSuppressorStage();
        gain = new GainControllerStage();
        vad = new VoiceActivityDetector();
        echo = new EchoCancellerStage();
        chain = new ApmEngine(ApmConfig.disabled().withHighPassFilter(true).withEchoCanceller(true)
                .withNoiseSuppressionLevel(NoiseSuppressionLevel.HIGH)
                .withVoiceActivityDetection(true, 0.9f, 0.8f).withGainController(true), 6);
    }

    private float[] next() {
        i = (i + 1) % BLOCKS;
        System.arraycopy(near[i], 0, work, 0, F);
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

    @Benchmark
    public float voiceActivity() {
        return vad.analyse(next());
    }

    @Benchmark
    public float[] echoCanceller() {
        float[] b = next();
        echo.process(b, far[i]);
        return b;
    }

    /** HPF + AEC + NS high + VAD + AGC (plus the chain's bypass delays and analysis). */
    @Benchmark
    public float[] fullChain() {
        float[] b = next();
        chain.process(b, far[i]);
        return b;
    }
}
