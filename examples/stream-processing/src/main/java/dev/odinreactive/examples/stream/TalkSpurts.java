package dev.odinreactive.examples.stream;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.Frames;
import dev.odinreactive.audio.apm.Apm;
import dev.odinreactive.audio.apm.ApmConfig;
import dev.odinreactive.audio.apm.ApmFrame;
import dev.odinreactive.audio.apm.NoiseSuppressionLevel;
import dev.odinreactive.audio.io.OggOpusFile;
import dev.odinreactive.audio.io.WavEncoding;
import dev.odinreactive.audio.io.WavFile;
import dev.odinreactive.audio.mix.Mixer;
import dev.odinreactive.audio.resample.Resampler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Stream processing with odin-audio: each audio file (WAV or Ogg Opus, any rate and channels)
 * runs through resample to 48 kHz mono → APM (high-pass, noise suppression, VAD, volume gate) →
 * level meter → talk-spurt detection, and the processed streams are mixed into a WAV file. Every
 * step is a plain {@code Function<Flux, Flux>} used with {@link Flux#transform}.
 *
 * <pre>
 * java dev.odinreactive.examples.stream.TalkSpurts [--mix mix.wav] [FILE ...]
 * talk  00:00.294 – 00:03.494  (3.20 s, peak -4.1 dBFS)
 * </pre>
 *
 * <p>Threading: files are read and decoded on {@code Schedulers.boundedElastic()} (blocking I/O,
 * inside odin-audio's file sources); each stream then hops once to {@code Schedulers.parallel()}
 * ({@code publishOn}), where its resampler, APM, meter and spurt detector run, one stream per
 * worker, so several files use several cores. With {@code --mix} each stream is clocked to one
 * 20 ms frame per 20 ms ({@link #clocked}, on parallel) as a live peer would be, because the
 * {@link Mixer} is live: it takes one frame per stream per tick of its 20 ms clock (own thread).
 * The WAV sink writes on boundedElastic. Spurts are emitted on the parallel threads.
 * Backpressure: unclocked, everything is pull-based and nothing is dropped. Clocked, the mixer
 * holds up to 1 s per stream and drops the oldest beyond (a stream that lags is mixed as
 * silence meanwhile), as in a live room; the counts are logged at the end.
 */
public final class TalkSpurts {
    private static final Logger LOG = LoggerFactory.getLogger(TalkSpurts.class);
    /** Frame duration of every processed stream, ms. */
    public static final int FRAME_MS = 20;

    /** A processed 48 kHz mono frame with the talk decision and its levels after processing. */
    public record Level(float[] samples, boolean talking, float rmsDbfs, float peakDbfs) {
    }

    /** A talk spurt of one stream: from start to end on the input's timeline, with its peak level. */
    public record Spurt(String stream, Duration start, Duration end, float peakDbfs) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s  %s – %s  (%.2f s, peak %.1f dBFS)", stream, clock(start),
                    clock(end), end.minus(start).toMillis() / 1000.0, peakDbfs);
        }

        private static String clock(Duration d) {
            return String.format(Locale.ROOT, "%02d:%02d.%03d", d.toMinutes(), d.toSecondsPart(), d.toMillisPart());
        }
    }

    private record Tick(long frame, boolean talking, float peakDbfs) {
    }

    private TalkSpurts() {
    }

    /** Frames of a WAV ({@code .wav}) or Ogg Opus file in the file's own format, read on boundedElastic. */
    public static Flux<float[]> read(Path file) {
        return isWav(file) ? WavFile.frames(file, FRAME_MS) : OggOpusFile.frames(file);
    }

    /** The format {@link #read} emits; Ogg Opus always decodes at 48 kHz. */
    public static AudioFormat formatOf(Path file) throws IOException {
        return isWav(file) ? WavFile.format(file) : AudioFormat.of(48_000, OggOpusFile.head(file).channels());
    }

    /** Operator: any format to 48 kHz mono frames of {@value #FRAME_MS} ms (the APM's input). */
    public static Function<Flux<float[]>, Flux<float[]>> toOpusMono(AudioFormat from) {
        return frames -> frames
                .transform(Frames.convertChannels(from.channels(), 1))
                .transform(Resampler.resampling(from.withChannels(1), 48_000))
                .transform(Frames.reframe(AudioFormat.OPUS_MONO, FRAME_MS, Frames.Tail.PAD));
    }

    /**
     * Operator: paces frames to one per {@value #FRAME_MS} ms on a fixed-rate clock on
     * {@code Schedulers.parallel()}, as a live peer sends them (no drift; a tick that finds no
     * frame ready is skipped, so a slow source is never sped up, and no frame is dropped).
     */
    public static Function<Flux<float[]>, Flux<float[]>> clocked() {
        Flux<Long> clock = Flux.interval(Duration.ZERO, Duration.ofMillis(FRAME_MS)).onBackpressureDrop();
        return frames -> frames.zipWith(clock, 1, (frame, tick) -> frame);
    }

    /**
     * Operator: the APM chain with high-pass, moderate noise suppression, the VAD and a volume gate
     * at -50/-60 dBFS (so near-silence never counts as talking); no echo canceller, no AGC.
     */
    public static Function<Flux<float[]>, Flux<ApmFrame>> apm() {
        ApmConfig config = ApmConfig.disabled()
                .withHighPassFilter(true)
                .withNoiseSuppressionLevel(NoiseSuppressionLevel.MODERATE)
                .withVoiceActivityDetection(true, 0.9f, 0.8f)
                .withVolumeGate(true, -50f, -60f);
        return Apm.chain(Flux.just(config));
    }

    /** Operator: measures RMS and peak level (dBFS, -120 for silence) of each processed frame. */
    public static Function<Flux<ApmFrame>, Flux<Level>> levelMeter() {
        return frames -> frames.map(f -> {
            double power = 0;
            float peak = 0;
            for (float s : f.samples()) {
                power += s * s;
                peak = Math.max(peak, Math.abs(s));
            }
            return new Level(f.samples(), f.talking(), dbfs(Math.sqrt(power / f.samples().length)), dbfs(peak));
        });
    }

    /**
     * Operator: one {@link Spurt} per run of frames the VAD marks as talking (its decision holds
     * 300 ms after speech, so a spurt ends that much after the last word). Times are shifted back
     * by the APM's constant latency; a spurt still open when the stream completes ends there.
     */
    public static Function<Flux<Level>, Flux<Spurt>> talkSpurts(String stream) {
        return levels -> levels
                .index((i, level) -> new Tick(i, level.talking(), level.peakDbfs()))
                .bufferUntilChanged(Tick::talking)
                .filter(run -> run.get(0).talking())
                .map(run -> new Spurt(stream, at(run.get(0).frame()), at(run.get(run.size() - 1).frame() + 1),
                        (float) run.stream().mapToDouble(Tick::peakDbfs).max().orElse(-120)));
    }

    /**
     * Processes {@code files} concurrently, unclocked (as fast as the CPU allows), and emits each
     * {@link Spurt} as it is found. Completes once every stream has ended; errors with
     * {@code AudioFileException} for a bad file (the other streams are cancelled).
     */
    public static Flux<Spurt> spurts(List<Path> files) {
        return run(files, null);
    }

    /**
     * As {@link #spurts}, but the streams are clocked ({@link #clocked}) and mixed by odin-audio's
     * live {@link Mixer} (one frame per 20 ms) into {@code mixFile} (48 kHz mono, 16-bit), so it
     * takes as long as the longest file. Completes once every stream was mixed and the file is final.
     */
    public static Flux<Spurt> spurtsAndMix(List<Path> files, Path mixFile) {
        return run(files, mixFile);
    }

    private static Flux<Spurt> run(List<Path> files, Path mixFile) {
        if (mixFile == null) {
            return Flux.fromIterable(files).flatMap(file -> process(file, false).transform(talkSpurts(name(file))));
        }
        // the mixer's clock gets a thread of its own, so the DSP on parallel never delays a tick
        return Flux.using(() -> Schedulers.newSingle("mixer-clock"), clock -> {
            // 1 s of mailbox per stream (not 200 ms): a file stream that stalls catches up in a burst
            Mixer mixer = Mixer.create(AudioFormat.OPUS_MONO, clock, 50, 0.9f);
            List<Flux<Spurt>> spurts = new ArrayList<>();
            for (Path file : files) {
                Flux<Level> levels = process(file, true).publish().autoConnect(2); // feeds detector and mixer
                spurts.add(levels.transform(talkSpurts(name(file))));
                mixer.add(levels.map(Level::samples));
            }
            Sinks.Empty<Void> clockRunning = Sinks.empty();
            Mono<Long> mix = mixer.output()
                    .doOnSubscribe(s -> clockRunning.tryEmitEmpty())
                    .takeUntil(frame -> mixer.inputs() == 0) // every stream has ended and was mixed
                    .as(WavFile.sink(mixFile, AudioFormat.OPUS_MONO, WavEncoding.PCM16));
            // the streams start once the mixer's clock runs (the WAV sink subscribes asynchronously)
            return mix.then(Mono.<Spurt>empty()).mergeWith(clockRunning.asMono().thenMany(Flux.merge(spurts)))
                    .doFinally(signal -> {
                        mixer.dispose();
                        LOG.info("mixer: {} frames mixed, {} input and {} output frames dropped",
                                mixer.framesMixed(), mixer.framesDropped(), mixer.outputFramesDropped());
                    });
        }, Scheduler::dispose);
    }

    private static Flux<Level> process(Path file, boolean clocked) {
        Flux<float[]> frames = Mono.fromCallable(() -> formatOf(file)) // reads the header
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(format -> read(file).publishOn(Schedulers.parallel()).transform(toOpusMono(format)));
        return (clocked ? frames.transform(clocked()) : frames).transform(apm()).transform(levelMeter());
    }

    /**
     * {@code [--mix FILE] [FILE ...]}; without files, two bundled espeak-ng clips:
     * clip0.opus (from odin-cli) and talk.opus, three sentences with 1.0 s and 1.2 s pauses
     * ({@code espeak-ng -w}, joined with {@code sox ... pad}, {@code opusenc --bitrate 32}).
     */
    public static void main(String[] args) throws IOException {
        Path mix = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--mix") && i + 1 < args.length) {
                mix = Path.of(args[++i]);
            } else {
                files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            files = List.of(bundled("talk.opus"), bundled("clip0.opus"));
        }
        (mix == null ? spurts(files) : spurtsAndMix(files, mix)).doOnNext(System.out::println).blockLast();
        if (mix != null) {
            System.out.printf(Locale.ROOT, "mix: %s (%.2f s)%n", mix, WavFile.read(mix).seconds());
        }
    }

    private static Path bundled(String name) throws IOException {
        Path dir = Files.createTempDirectory("talk-spurts");
        dir.toFile().deleteOnExit();
        Path tmp = dir.resolve(name);
        tmp.toFile().deleteOnExit();
        try (InputStream in = TalkSpurts.class.getResourceAsStream(name)) {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return tmp;
    }

    private static Duration at(long frame) {
        return Duration.ofMillis(Math.max(0, frame * FRAME_MS - Apm.CHAIN_LATENCY_MS));
    }

    private static float dbfs(double amplitude) {
        return (float) Math.max(-120, 20 * Math.log10(amplitude + 1e-12));
    }

    private static boolean isWav(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav");
    }

    private static String name(Path file) {
        String n = file.getFileName().toString();
        return n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : n;
    }
}
