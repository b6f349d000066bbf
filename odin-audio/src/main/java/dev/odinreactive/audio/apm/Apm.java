package dev.odinreactive.audio.apm;

import dev.odinreactive.audio.apm.internal.Analysis;
import dev.odinreactive.audio.apm.internal.ApmEngine;
import dev.odinreactive.audio.apm.internal.EchoCancellerStage;
import dev.odinreactive.audio.apm.internal.FarBuffer;
import dev.odinreactive.audio.apm.internal.GainControllerStage;
import dev.odinreactive.audio.apm.internal.HighPassStage;
import dev.odinreactive.audio.apm.internal.NoiseSuppressorStage;
import dev.odinreactive.audio.apm.internal.PreAmplifierStage;
import dev.odinreactive.audio.apm.internal.Reblocker;
import dev.odinreactive.audio.apm.internal.Stage;
import dev.odinreactive.audio.apm.internal.TransientSuppressorStage;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The audio processing module as Reactor operators on 48 kHz mono frames of any size (10 or 20 ms
 * typically), {@code float} in [-1, 1]: use them with {@link Flux#transform}, e.g.
 * {@code mic.transform(Apm.highPass()).transform(Apm.noiseSuppressor(NoiseSuppressionLevel.HIGH))}.
 *
 * <p>Every operator is a synchronous, map-like stage: each frame in gives exactly one frame out,
 * in order, on the thread that delivered it (no scheduler, no queue); heavy DSP therefore runs
 * wherever the source emits, so put a {@code publishOn(Schedulers.parallel())} before the chain
 * when the source is an I/O thread. Each subscription gets its own filter state. Output frames are
 * fresh arrays of the input frame's length (input frames are never modified). Completion and errors
 * pass through. Filters with look-ahead delay their output by a constant amount (see each factory);
 * the stream keeps its frame count and frame sizes. The filters work on 10 ms blocks: frames whose
 * size is a multiple of 10 ms (480 samples) add nothing to that delay; other sizes add
 * {@code 480 - gcd(size, 480)} samples (240 for 5 ms frames), fixed by the first frame; a later frame
 * that breaks the first frame's alignment errors the flux with {@link IllegalArgumentException}.
 *
 * <p>{@link #chain} runs all filters in this fixed order: pre-amplifier, high-pass, echo
 * canceller, transient suppressor, noise suppressor, analysis (VAD, volume gate, pre-roll), gain
 * controller; its latency is a constant {@value #CHAIN_LATENCY_MS} ms whatever is enabled, and a
 * new configuration applies from the next 10 ms block with a one-block cross-fade for switched
 * filters (no glitch, no lost or repeated sample).
 */
public final class Apm {
    /** Gain of the pre-amplifier, dB. */
    public static final int PRE_AMPLIFIER_DB = 6;
    /** Constant delay of {@link #chain}, ms (26 ms of filters + 20 ms pre-roll). */
    public static final int CHAIN_LATENCY_MS = 46;

    private Apm() {
    }

    /** 80 Hz 4th-order Butterworth high-pass (-16 dB at 50 Hz, 0.0 dB at 1 kHz); no delay. */
    public static Function<Flux<float[]>, Flux<float[]>> highPass() {
        return stage(HighPassStage::new);
    }

    /** Fixed +{@value #PRE_AMPLIFIER_DB} dB gain with a soft knee against clipping; no delay. */
    public static Function<Flux<float[]>, Flux<float[]>> preAmplifier() {
        return preAmplifier(PRE_AMPLIFIER_DB);
    }

    /** Fixed gain of {@code gainDb} (0..30 dB) with a soft knee against clipping; no delay. */
    public static Function<Flux<float[]>, Flux<float[]>> preAmplifier(float gainDb) {
        if (!(gainDb >= 0 && gainDb <= 30)) {
            throw new IllegalArgumentException("pre-amplifier gain must be in [0, 30] dB: " + gainDb);
        }
        return stage(() -> new PreAmplifierStage(gainDb));
    }

    /** STFT noise suppressor (OM-LSA gains, SPP noise tracking); 10 ms delay ({@code NONE}: none). */
    public static Function<Flux<float[]>, Flux<float[]>> noiseSuppressor(NoiseSuppressionLevel level) {
        Objects.requireNonNull(level, "level");
        if (level == NoiseSuppressionLevel.NONE) {
            return f -> f.map(float[]::clone);
        }
        return stage(() -> new NoiseSuppressorStage(level.maxAttenuationDb()));
    }

    /** Keyboard-click suppressor; 6 ms delay. */
    public static Function<Flux<float[]>, Flux<float[]>> transientSuppressor() {
        return stage(TransientSuppressorStage::new);
    }

    /** Automatic gain control to about {@value GainControllerStage#TARGET_DBFS} dBFS speech level with a -1 dBFS limiter; no delay. */
    public static Function<Flux<float[]>, Flux<float[]>> gainController() {
        return stage(GainControllerStage::new);
    }

    /** {@link #echoCanceller(Flux, Flux)} with a fixed stream delay hint. */
    public static Function<Flux<float[]>, Flux<float[]>> echoCanceller(Flux<float[]> reverse, Duration streamDelay) {
        return echoCanceller(reverse, Flux.just(streamDelay));
    }

    /**
     * Acoustic echo canceller. {@code reverse} is the far-end (playback) signal, 48 kHz mono frames
     * of any length, subscribed when the capture flux is subscribed and cancelled with it; it is
     * buffered up to one second (oldest samples dropped beyond) and read 480 samples per capture
     * block (silence when it has nothing). {@code streamDelay} emits the delay from playback to
     * capture ({@code odin_audio_set_stream_delay}); the canceller also finds the delay itself
     * within 0-500 ms. 10 ms delay.
     */
    public static Function<Flux<float[]>, Flux<float[]>> echoCanceller(Flux<float[]> reverse, Flux<Duration> streamDelay) {
        Objects.requireNonNull(reverse, "reverse");
        Objects.requireNonNull(streamDelay, "streamDelay");
        return frames -> Flux.defer(() -> {
            EchoCancellerStage aec = new EchoCancellerStage();
            FarBuffer far = new FarBuffer();
            AtomicLong delayMs = new AtomicLong(-1);
            float[] farBlock = new float[Stage.BLOCK];
            Disposable.Composite subs = reactor.core.Disposables.composite(
                    reverse.subscribe(far::write),
                    streamDelay.subscribe(d -> delayMs.set(Math.max(0, d.toMillis()))));
            long[] applied = {-1};
            Reblocker reblocker = new Reblocker();
            Consumer<float[]> perBlock = block -> {
                long d = delayMs.get();
                if (d != applied[0] && d >= 0) {
                    aec.setStreamDelayMillis(d);
                    applied[0] = d;
                }
                boolean any = far.read(farBlock);
                aec.process(block, any ? farBlock : null);
            };
            return frames.map(in -> reblocker.process(checked(in), perBlock)).doFinally(s -> subs.dispose());
        });
    }

    /**
     * Voice activity detection: emits each frame with its speech probability and the talk decision
     * (engages at {@code attackProbability}, disengages after 300 ms below {@code releaseProbability},
     * 20 ms pre-roll, so frames leave 20 ms late).
     */
    public static Function<Flux<float[]>, Flux<ApmFrame>> voiceActivity(float attackProbability, float releaseProbability) {
        ApmConfig c = ApmConfig.disabled().withVoiceActivityDetection(true, attackProbability, releaseProbability);
        return analysisOnly(c);
    }

    /**
     * Volume gate: emits each frame with its RMS level and the talk decision (engages at
     * {@code attackDbfs}, disengages after 300 ms below {@code releaseDbfs}, 20 ms pre-roll, so
     * frames leave 20 ms late).
     */
    public static Function<Flux<float[]>, Flux<ApmFrame>> volumeGate(float attackDbfs, float releaseDbfs) {
        ApmConfig c = ApmConfig.disabled().withVolumeGate(true, attackDbfs, releaseDbfs);
        return analysisOnly(c);
    }

    /** {@link #chain(Flux, Flux, Flux)} without a far end (the echo canceller then sees silence). */
    public static Function<Flux<float[]>, Flux<ApmFrame>> chain(Flux<ApmConfig> configs) {
        return chain(configs, Flux.empty(), Flux.empty());
    }

    /**
     * The whole APM. {@code configs} is subscribed with the frames; each configuration applies from
     * the next block (frames before the first one use {@link ApmConfig#defaults()}). {@code reverse}
     * and {@code streamDelay} feed the echo canceller as in {@link #echoCanceller(Flux, Flux)}.
     * Emits one {@link ApmFrame} per input frame, {@value #CHAIN_LATENCY_MS} ms late; an error of
     * {@code configs} errors the output.
     */
    public static Function<Flux<float[]>, Flux<ApmFrame>> chain(Flux<ApmConfig> configs, Flux<float[]> reverse,
                                                               Flux<Duration> streamDelay) {
        Objects.requireNonNull(configs, "configs");
        Objects.requireNonNull(reverse, "reverse");
        Objects.requireNonNull(streamDelay, "streamDelay");
        return frames -> Flux.defer(() -> {
            AtomicReference<ApmConfig> latest = new AtomicReference<>(ApmConfig.defaults());
            AtomicReference<Throwable> configError = new AtomicReference<>();
            AtomicLong delayMs = new AtomicLong(-1);
            FarBuffer far = new FarBuffer();
            Disposable.Composite subs = reactor.core.Disposables.composite(
                    configs.subscribe(latest::set, configError::set),
                    reverse.subscribe(far::write),
                    streamDelay.subscribe(d -> delayMs.set(Math.max(0, d.toMillis()))));
            ApmEngine engine = new ApmEngine(latest.get(), PRE_AMPLIFIER_DB);
            float[] farBlock = new float[Stage.BLOCK];
            FrameAnalysis analysis = new FrameAnalysis(engine);
            Consumer<float[]> perBlock = block -> {
                boolean any = far.read(farBlock);
                engine.process(block, any ? farBlock : null);
                analysis.add();
            };
            return frames.map(in -> {
                Throwable err = configError.get();
                if (err != null) {
                    throw reactor.core.Exceptions.propagate(err);
                }
                engine.configure(latest.get());
                long d = delayMs.getAndSet(-1);
                if (d >= 0) {
                    engine.setStreamDelayMillis(d);
                }
                return analysis.frame(in, perBlock);
            }).doFinally(s -> subs.dispose());
        });
    }

    private static Function<Flux<float[]>, Flux<ApmFrame>> analysisOnly(ApmConfig c) {
        return frames -> Flux.defer(() -> {
            ApmEngine engine = new ApmEngine(c, 0);
            FrameAnalysis analysis = new FrameAnalysis(engine);
            // only the analysis runs: the frames skip the (disabled) filters' constant delay
            Consumer<float[]> perBlock = block -> {
                engine.analysis().process(block);
                analysis.add();
            };
            return frames.map(in -> analysis.frame(in, perBlock));
        });
    }

    private static Function<Flux<float[]>, Flux<float[]>> stage(Supplier<? extends Stage> factory) {
        return frames -> Flux.defer(() -> {
            Stage s = factory.get();
            Reblocker reblocker = new Reblocker();
            Consumer<float[]> perBlock = s::process;
            return frames.map(in -> reblocker.process(checked(in), perBlock));
        });
    }

    private static float[] checked(float[] frame) {
        return Objects.requireNonNull(frame, "frame");
    }

    /**
     * Re-blocks frames for the engine and sums up the analysis of the blocks each frame completes:
     * the highest speech probability, the mean power, talking if any block was; a frame that completes
     * no block (shorter than 10 ms) carries the last block's analysis.
     */
    private static final class FrameAnalysis {
        private final ApmEngine engine;
        private final Reblocker reblocker = new Reblocker();
        private int blocks;
        private float maxProb;
        private double power;
        private boolean talk;
        private float lastProb = Float.NaN;
        private float lastRms = -120f;
        private boolean lastTalk;

        FrameAnalysis(ApmEngine engine) {
            this.engine = engine;
        }

        void add() {
            Analysis a = engine.analysis();
            maxProb = blocks == 0 ? a.probability : Math.max(maxProb, a.probability);
            power += Math.pow(10, a.rmsDbfs / 10);
            talk |= a.talking;
            blocks++;
        }

        ApmFrame frame(float[] in, Consumer<float[]> perBlock) {
            blocks = 0;
            power = 0;
            talk = false;
            float[] out = reblocker.process(checked(in), perBlock);
            if (blocks > 0) {
                lastProb = maxProb;
                lastRms = Math.max(-120f, (float) (10 * Math.log10(power / blocks)));
                lastTalk = talk;
            } else if (Float.isNaN(lastProb) && lastRms == -120f) {
                // before the first block: talking only when neither VAD nor gate decides
                lastTalk = !engine.config().voiceActivityDetection() && !engine.config().volumeGate();
            }
            return new ApmFrame(out, lastProb, lastRms, lastTalk);
        }
    }
}
