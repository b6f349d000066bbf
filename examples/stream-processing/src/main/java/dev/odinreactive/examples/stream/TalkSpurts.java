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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Stream processing with odin-audio: each audio file (WAV or Ogg Opus, any rate and channels)
 * runs through resample to 48 kHz mono → APM (high-pass, noise suppression, VAD, volume gate) →
 * level meter → talk-spurt detection, and each processed stream is written to a WAV file. Every
 * step is a plain {@code Function<Flux, Flux>} used with {@link Flux#transform}.
 *
 * <pre>
 * java dev.odinreactive.examples.stream.TalkSpurts [--out DIR] [--realtime] [FILE ...]
 * clip0  00:00.340 – 00:02.120  (1.78 s, peak -4.1 dBFS)
 * </pre>
 *
 * <p>Threading: files are read and decoded on {@code Schedulers.boundedElastic()} (blocking I/O,
 * inside odin-audio's file sources); each stream then hops once to {@code Schedulers.parallel()}
 * ({@code publishOn}), where its resampler, APM, meter and spurt detector run, one stream per
 * rail, so several files use several cores. With {@code --realtime} each stream is clocked to
 * one 20 ms frame per 20 ms ({@link #clocked}, also on parallel) as a live peer would be.
 * The WAV sinks write on boundedElastic. {@link #run} emits spurts on the parallel threads.
 * Backpressure: everything is pull-based; a file stream never runs ahead of its slowest consumer
 * (spurt detector or file writer) by more than Reactor's small prefetch queues, so nothing is dropped.
 */
public final class TalkSpurts {
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
     * Processes {@code files} concurrently and emits each {@link Spurt} as it is found; writes each
     * processed stream (48 kHz mono, 16-bit) to {@code outDir/NAME-processed.wav}. Completes once
     * every stream has ended and its file is final; errors with {@code AudioFileException} for a
     * bad file (the other streams are cancelled).
     */
    public static Flux<Spurt> run(List<Path> files, Path outDir, boolean realtime) {
        return Flux.fromIterable(files).flatMap(file -> Mono.fromCallable(() -> formatOf(file))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(format -> process(file, format, outDir, realtime)));
    }

    private static Flux<Spurt> process(Path file, AudioFormat format, Path outDir, boolean realtime) {
        Flux<float[]> frames = read(file).publishOn(Schedulers.parallel()).transform(toOpusMono(format));
        Flux<Level> levels = (realtime ? frames.transform(clocked()) : frames)
                .transform(apm())
                .transform(levelMeter())
                .publish().autoConnect(2); // one pass feeds both the spurt detector and the file
        Path processed = outDir.resolve(name(file) + "-processed.wav");
        Mono<Long> written = levels.map(Level::samples)
                .as(WavFile.sink(processed, AudioFormat.OPUS_MONO, WavEncoding.PCM16));
        return Flux.merge(levels.transform(talkSpurts(name(file))), written.then(Mono.<Spurt>empty()));
    }

    /**
     * {@code [--out DIR] [--realtime] [FILE ...]}; without files, two bundled espeak-ng clips:
     * clip0.opus (from odin-cli) and talk.opus, three sentences with 1.0 s and 1.2 s pauses
     * ({@code espeak-ng -w}, joined with {@code sox ... pad}, {@code opusenc --bitrate 32}).
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(".");
        boolean realtime = false;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out", "-o" -> out = Files.createDirectories(Path.of(args[++i]));
                case "--realtime" -> realtime = true;
                default -> files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            files = List.of(bundled("talk.opus"), bundled("clip0.opus"));
        }
        run(files, out, realtime).doOnNext(System.out::println).blockLast();
        System.out.println("processed streams written to " + out.toAbsolutePath().normalize());
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
