package dev.odinreactive.cli.internal;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.io.OggOpusFile;
import dev.odinreactive.audio.io.WavEncoding;
import dev.odinreactive.audio.io.WavFile;
import dev.odinreactive.audio.opus.OpusConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Streaming audio files chosen by extension: {@code .wav} (16-bit PCM), {@code .opus}/{@code .ogg} (Ogg Opus). */
public final class AudioFiles {

    private AudioFiles() {
    }

    /** A file's 20 ms frames and their format. */
    public record Source(AudioFormat format, Flux<float[]> frames) {
    }

    /** Opens {@code file} for reading (lazily decoded); bad type or unreadable file: IllegalArgumentException. */
    public static Source source(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file);
        }
        try {
            if (isWav(file)) {
                return new Source(WavFile.format(file), WavFile.frames(file, 20));
            }
            if (isOpus(file)) {
                return new Source(AudioFormat.of(48_000, OggOpusFile.head(file).channels()), OggOpusFile.frames(file));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        throw unknownType(file);
    }

    /** A sink writing 48 kHz mono frames to {@code file}; the Mono completes with the samples written once the file is final. */
    public static Function<Flux<float[]>, Mono<Long>> sink(Path file) {
        if (isWav(file)) {
            return WavFile.sink(file, AudioFormat.OPUS_MONO, WavEncoding.PCM16);
        }
        if (isOpus(file)) {
            return OggOpusFile.sink(file, OpusConfig.defaults());
        }
        throw unknownType(file);
    }

    /** Checks the extension of an output file early (before anything starts). */
    public static void checkWritable(Path file) {
        checkType(file);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no such directory: " + dir);
        }
    }

    /** Checks that {@code file} is a .wav, .opus or .ogg file by its name; else IllegalArgumentException. */
    public static void checkType(Path file) {
        if (!isWav(file) && !isOpus(file)) {
            throw unknownType(file);
        }
    }

    /** Whether {@code p} names a WAV file (.wav, any case). */
    public static boolean isWav(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav");
    }

    /** Whether {@code p} names an Ogg Opus file (.opus or .ogg, any case). */
    public static boolean isOpus(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".opus") || n.endsWith(".ogg");
    }

    private static IllegalArgumentException unknownType(Path p) {
        return new IllegalArgumentException(p + ": unknown file type (use .wav, .opus or .ogg)");
    }

    /** Creates {@code dir} if needed. */
    public static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
