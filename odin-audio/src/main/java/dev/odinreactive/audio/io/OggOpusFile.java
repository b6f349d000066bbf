package dev.odinreactive.audio.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Function;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.AudioFormatException;
import dev.odinreactive.audio.Frames;
import dev.odinreactive.audio.opus.OpusConfig;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Ogg Opus files (RFC 7845): whole-file (or whole-stream) {@link #read}/{@link #write} and reactive
 * {@link #frames source} and {@link #sink sink}. Decoded audio is always 48 kHz (as
 * {@code opusdec} does by default) with the pre-skip removed and the end trimmed to the last
 * granule position. Files we write play in standard players and pass {@code opusinfo}.
 * Bad files raise {@link AudioFileException} with a one-line reason.
 */
public final class OggOpusFile {
    private OggOpusFile() {
    }

    /** Decodes a whole file into memory (48 kHz, the file's channel count). */
    public static AudioClip read(Path file) throws IOException {
        try (OggOpusReader r = OggOpusReader.open(file)) {
            return decodeAll(r);
        }
    }

    /**
     * Decodes a whole Ogg Opus stream into memory (48 kHz, the stream's channel count), for
     * example a classpath resource. Reads {@code in} to the end of the Opus stream on the calling
     * thread (blocking) and leaves it open: closing it stays with the caller.
     *
     * @throws AudioFileException if the data is not Ogg Opus odin-audio supports, is truncated or
     *                            corrupt (the message names no file)
     * @throws IOException        if reading {@code in} fails
     */
    public static AudioClip read(InputStream in) throws IOException {
        // not closed here: the reader's close() would close the caller's stream
        return decodeAll(OggOpusReader.open(java.util.Objects.requireNonNull(in, "in")));
    }

    private static AudioClip decodeAll(OggOpusReader r) throws IOException {
        float[] all = new float[0];
        int len = 0;
        for (float[] part = r.readDecoded(); part != null; part = r.readDecoded()) {
            if (len + part.length > all.length) {
                all = java.util.Arrays.copyOf(all, Math.max(len + part.length, all.length * 2));
            }
            System.arraycopy(part, 0, all, len, part.length);
            len += part.length;
        }
        return new AudioClip(r.format(), java.util.Arrays.copyOf(all, len));
    }

    /** Reads only the headers. */
    public static OggOpusHead head(Path file) throws IOException {
        try (OggOpusReader r = OggOpusReader.open(file)) {
            return r.head();
        }
    }

    /**
     * Encodes {@code clip} with {@code config} into an Ogg Opus file.
     *
     * @throws AudioFormatException if the clip's format differs from {@code config.format()}
     *                              (resample first: {@code Resampler})
     */
    public static void write(Path file, AudioClip clip, OpusConfig config) throws IOException {
        if (!clip.format().equals(config.format())) {
            throw new AudioFormatException("clip is " + clip.format() + " but the encoder expects " + config.format());
        }
        try (OggOpusEncoding enc = new OggOpusEncoding(file, config)) {
            enc.write(clip.samples());
            enc.finish();
        }
    }

    /**
     * A cold source of 20 ms frames (48 kHz, the file's channels; last frame zero-padded)
     * decoded lazily from {@code file} on {@link Schedulers#boundedElastic()}. Errors:
     * {@link AudioFileException} for a bad file or a corrupt packet. Use {@link #head(Path)} to
     * learn the channel count.
     */
    public static Flux<float[]> frames(Path file) {
        return Flux.using(() -> OggOpusReader.open(file),
                r -> Flux.<float[]>generate(sink -> {
                    try {
                        float[] part = r.readDecoded();
                        if (part == null) {
                            sink.complete();
                        } else {
                            sink.next(part);
                        }
                    } catch (IOException e) {
                        sink.error(e);
                    }
                }).transform(Frames.reframe(r.format(), 20, Frames.Tail.PAD)),
                r -> {
                    try {
                        r.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * A sink encoding a {@code Flux<float[]>} of any chunking (format {@code config.format()})
     * into {@code file}; the Mono completes with the number of samples per channel written once
     * the input completes and the file is final. Encodes and writes on
     * {@link Schedulers#boundedElastic()}. If the input errors, the file is closed (valid, holding
     * what was encoded) and the error propagated.
     */
    public static Function<Flux<float[]>, Mono<Long>> sink(Path file, OpusConfig config) {
        return frames -> Mono.using(() -> new OggOpusEncoding(file, config),
                enc -> frames.publishOn(Schedulers.boundedElastic())
                        .doOnNext(f -> {
                            try {
                                enc.write(f);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        })
                        .then(Mono.fromCallable(enc::finish)),
                enc -> {
                    try {
                        enc.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).subscribeOn(Schedulers.boundedElastic());
    }
}
