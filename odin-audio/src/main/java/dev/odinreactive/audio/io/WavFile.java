package dev.odinreactive.audio.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.AudioFormat;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * WAV files: whole-file {@link #read}/{@link #write} and reactive {@link #frames source} and
 * {@link #sink sink}. Writes 16-bit PCM or 32-bit float; reads those plus 24/32-bit PCM.
 * Bad files raise {@link AudioFileException} with a one-line reason.
 *
 * <pre>{@code
 * AudioClip clip = WavFile.read(Path.of("in.wav"));
 * WavFile.write(Path.of("out.wav"), clip.format(), clip.samples(), WavEncoding.PCM16);
 * }</pre>
 */
public final class WavFile {
    private WavFile() {
    }

    /** Reads a whole WAV file into memory. */
    public static AudioClip read(Path file) throws IOException {
        try (WavReader r = WavReader.open(file)) {
            return new AudioClip(r.format(), r.readAll());
        }
    }

    /** Reads only the header: the file's format. */
    public static AudioFormat format(Path file) throws IOException {
        try (WavReader r = WavReader.open(file)) {
            return r.format();
        }
    }

    /** Writes interleaved {@code samples} of {@code format} as a WAV file. */
    public static void write(Path file, AudioFormat format, float[] samples, WavEncoding encoding) throws IOException {
        try (WavWriter w = WavWriter.create(file, format, encoding)) {
            w.write(samples);
        }
    }

    /** Writes a clip as a WAV file. */
    public static void write(Path file, AudioClip clip, WavEncoding encoding) throws IOException {
        write(file, clip.format(), clip.samples(), encoding);
    }

    /**
     * A cold source of frames of {@code frameMillis} ms read lazily from {@code file}; the last
     * frame is zero-padded to full length. Reads on {@link Schedulers#boundedElastic()} and
     * closes the file on completion, error or cancellation. Errors: {@link AudioFileException}
     * for a bad file. Use {@link #format(Path)} to learn the frames' format.
     */
    public static Flux<float[]> frames(Path file, int frameMillis) {
        return Flux.using(() -> WavReader.open(file), r -> {
            int len = r.format().frameLength(frameMillis);
            return Flux.<float[]>generate(sink -> {
                try {
                    float[] frame = new float[len];
                    int n = 0;
                    while (n < len) {
                        int got = r.read(frame, n, len - n);
                        if (got <= 0) {
                            break;
                        }
                        n += got;
                    }
                    if (n == 0) {
                        sink.complete();
                    } else {
                        if (n < len) {
                            Arrays.fill(frame, n, len, 0f);
                        }
                        sink.next(frame);
                    }
                } catch (IOException e) {
                    sink.error(e);
                }
            });
        }, r -> {
            try {
                r.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * A sink writing every frame of a {@code Flux<float[]>} to {@code file}; the returned Mono
     * completes with the number of interleaved samples written once the input completes and the
     * header is final. Writes on {@link Schedulers#boundedElastic()}. If the input errors, the
     * partial file is closed with valid sizes and the error is propagated.
     * Usage: {@code frames.as(WavFile.sink(path, fmt, WavEncoding.FLOAT32))}.
     */
    public static Function<Flux<float[]>, Mono<Long>> sink(Path file, AudioFormat format, WavEncoding encoding) {
        return frames -> Mono.using(() -> WavWriter.create(file, format, encoding),
                w -> frames.publishOn(Schedulers.boundedElastic())
                        .doOnNext(f -> {
                            try {
                                w.write(f);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        })
                        .then(Mono.fromCallable(() -> {
                            w.close();
                            return w.samplesWritten();
                        })),
                w -> {
                    try {
                        w.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).subscribeOn(Schedulers.boundedElastic());
    }
}
