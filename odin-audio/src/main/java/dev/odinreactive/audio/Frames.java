package dev.odinreactive.audio;

import java.util.function.Function;

import reactor.core.publisher.Flux;

/**
 * Operators on frame streams ({@code Flux<float[]>}, interleaved samples in [-1, 1]).
 * Use with {@link Flux#transform}: {@code chunks.transform(Frames.reframe(fmt, 20, Tail.PAD))}.
 * The operators run on the thread that delivers the input and keep per-subscription state.
 */
public final class Frames {

    /** What {@link #reframe} does with samples left over when the input completes. */
    public enum Tail {
        /** Zero-pad the remainder to one full frame (the default: every frame has full length). */
        PAD,
        /** Emit the remainder as a shorter last frame. */
        SHORT,
        /** Discard the remainder. */
        DROP
    }

    private Frames() {
    }

    /**
     * Re-frames any chunking of interleaved audio into frames of exactly {@code frameMillis}
     * (10 or 20 ms) of {@code format}. The remainder of a chunk is carried into the next; when
     * the input completes the last partial frame is handled as {@code tail} says. Errors signal
     * {@link AudioFormatException} if a chunk is not a whole number of multi-channel samples.
     */
    public static Function<Flux<float[]>, Flux<float[]>> reframe(AudioFormat format, int frameMillis, Tail tail) {
        new Reframer(format, frameMillis); // validate eagerly
        return in -> Flux.defer(() -> {
            Reframer r = new Reframer(format, frameMillis);
            return in.concatMapIterable(r::push).concatWith(Flux.defer(() -> Flux.fromIterable(r.finish(tail))));
        });
    }

    /** {@link #reframe} with 20 ms frames and {@link Tail#PAD}. */
    public static Function<Flux<float[]>, Flux<float[]>> reframe(AudioFormat format) {
        return reframe(format, 20, Tail.PAD);
    }

    /**
     * Converts the channel layout of each frame: mono to stereo duplicates the sample into both
     * channels; stereo to mono averages L and R. Equal counts pass frames through unchanged.
     */
    public static Function<Flux<float[]>, Flux<float[]>> convertChannels(int fromChannels, int toChannels) {
        AudioFormat.of(AudioFormat.MIN_RATE, fromChannels);
        AudioFormat.of(AudioFormat.MIN_RATE, toChannels);
        if (fromChannels == toChannels) {
            return Function.identity();
        }
        return in -> in.map(f -> convertChannels(f, fromChannels, toChannels));
    }

    /** Array form of {@link #convertChannels(int, int)}; returns a new array (or {@code samples} if equal). */
    public static float[] convertChannels(float[] samples, int fromChannels, int toChannels) {
        if (fromChannels == toChannels) {
            return samples;
        }
        if (fromChannels == 1 && toChannels == 2) {
            float[] out = new float[samples.length * 2];
            for (int i = 0; i < samples.length; i++) {
                out[2 * i] = samples[i];
                out[2 * i + 1] = samples[i];
            }
            return out;
        }
        if (fromChannels == 2 && toChannels == 1) {
            if (samples.length % 2 != 0) {
                throw new AudioFormatException("stereo frame of odd length " + samples.length);
            }
            float[] out = new float[samples.length / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = 0.5f * (samples[2 * i] + samples[2 * i + 1]);
            }
            return out;
        }
        throw new AudioFormatException("cannot convert " + fromChannels + " to " + toChannels + " channels");
    }

    /** A frame of silence of {@code millis} ms in {@code format}. */
    public static float[] silence(AudioFormat format, int millis) {
        return new float[format.frameLength(millis)];
    }
}
