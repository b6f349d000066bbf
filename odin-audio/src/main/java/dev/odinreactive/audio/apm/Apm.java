package dev.odinreactive.audio.apm;

import dev.odinreactive.audio.apm.internal.ApmEngine;
import dev.odinreactive.audio.apm.internal.EchoCancellerStage;
import dev.odinreactive.audio.apm.internal.FarBuffer;
import dev.odinreactive.audio.apm.internal.GainControllerStage;
import dev.odinreactive.audio.apm.internal.HighPassStage;
import dev.odinreactive.audio.apm.internal.NoiseSuppressorStage;
import dev.odinreactive.audio.apm.internal.PreAmplifierStage;
import dev.odinreactive.audio.apm.internal.Stage;
import dev.odinreactive.audio.apm.internal.TransientSuppressorStage;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The audio processing module as Reactor operators on 48 kHz mono frames of 10 ms (480 samples)
 * or 20 ms (960 samples), {@code float} in [-1, 1]: use them with {@link Flux#transform}, e.g.
 * {@code mic.transform(Apm.highPass()).transform(Apm.noiseSuppressor(NoiseSuppressionLevel.HIGH))}.
 *
 * <p>Every operator is a synchronous, map-like stage: each frame in gives exactly one frame out,
 * in order, on the thread that delivered it (no scheduler, no queue); heavy DSP therefore runs
 * wherever the source emits, so put a {@code publishOn(Schedulers.parallel())} before the chain
 * when the source is an I/O thread. Each subscription gets its own filter state. Output frames are
 * fresh arrays (input frames are never modified). Completion and errors pass through; a frame of
 * another length errors the flux with {@link IllegalArgumentException}. Filters with look-ahead
 * delay their output by a constant amount (see each factory); the stream keeps its frame count.
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
            return frames.map(in -> blocks(in, block -> {
                long d = delayMs.get();
                if (d != applied[0] && d >= 0) {
                    aec.setStreamDelayMillis(d);
                    applied[0] = d;
                }
                boolean any = far.read(farBlock);
                aec.process(block, any ? farBlock : null);
            })).doFinally(s -> subs.dispose());
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
            float[] scratch = new float[Stage.BLOCK];
            return frames.map(in -> process(engine, in, latest, configError, delayMs, far, farBlock, scratch))
                    .doFinally(s -> subs.dispose());
        });
    }

    private static Function<Flux<float[]>, Flux<ApmFrame>> analysisOnly(ApmConfig c) {
        return frames -> Flux.defer(() -> {
            ApmEngine engine = new ApmEngine(c, 0);
            float[] scratch = new float[Stage.BLOCK];
            // only the analysis runs: the frames skip the (disabled) filters' constant delay
            return frames.map(in -> run(in, block -> engine.analysis().process(block), engine, scratch));
        });
    }

    private static ApmFrame process(ApmEngine engine, float[] in, AtomicReference<ApmConfig> latest,
                                    AtomicReference<Throwable> configError, AtomicLong delayMs, FarBuffer far,
                                    float[] farBlock, float[] scratch) {
        Throwable err = configError.get();
        if (err != null) {
            throw reactor.core.Exceptions.propagate(err);
        }
        engine.configure(latest.get());
        long d = delayMs.get();
        if (d >= 0) {
            engine.setStreamDelayMillis(d);
            delayMs.set(-1);
        }
        return run(in, block -> {
            boolean any = far.read(farBlock);
            engine.process(block, any ? farBlock : null);
        }, engine, scratch);
    }

    /** One output frame: {@code perBlock} over each 10 ms block of a copy of {@code in} (through {@code block}). */
    private static ApmFrame run(float[] in, java.util.function.Consumer<float[]> perBlock, ApmEngine engine,
                                float[] block) {
        float maxProb = Float.NaN;
        double power = 0;
        boolean talk = false;
        float[] out = blocks(in, null);
        for (int off = 0; off < out.length; off += Stage.BLOCK) {
            perBlock.accept(block);
            System.arraycopy(block, 0, out, off, Stage.BLOCK);
            var a = engine.analysis();
            maxProb = Float.isNaN(maxProb) ? a.probability : Math.max(maxProb, a.probability);
            power += Math.pow(10, a.rmsDbfs / 10);
            talk |= a.talking;
        }
        float rms = (float) (10 * Math.log10(power / (out.length / Stage.BLOCK)));
        return new ApmFrame(out, maxProb, Math.max(rms, -120f), talk);
    }

    private static Function<Flux<float[]>, Flux<float[]>> stage(Supplier<? extends Stage> factory) {
        return frames -> Flux.defer(() -> {
            Stage s = factory.get();
            return frames.map(in -> blocks(in, s::process));
        });
    }

    /** Copies {@code in} and runs {@code perBlock} (if any) over its 10 ms blocks in place. */
    private static float[] blocks(float[] in, java.util.function.Consumer<float[]> perBlock) {
        Objects.requireNonNull(in, "frame");
        if (in.length != Stage.BLOCK && in.length != 2 * Stage.BLOCK) {
            throw new IllegalArgumentException("APM frames must be 10 or 20 ms at 48 kHz mono (480 or 960 samples), got "
                    + in.length + " samples");
        }
        float[] out = in.clone();
        if (perBlock == null) {
            return out;
        }
        if (out.length == Stage.BLOCK) {
            perBlock.accept(out);
            return out;
        }
        float[] block = new float[Stage.BLOCK];
        for (int off = 0; off < out.length; off += Stage.BLOCK) {
            System.arraycopy(out, off, block, 0, Stage.BLOCK);
            perBlock.accept(block);
            System.arraycopy(block, 0, out, off, Stage.BLOCK);
        }
        return out;
    }
}
