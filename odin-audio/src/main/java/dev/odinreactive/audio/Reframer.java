package dev.odinreactive.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Imperative core of {@link Frames#reframe}: cuts a stream of arbitrarily sized interleaved
 * chunks into frames of exactly {@code frameLength} samples, carrying the remainder from one
 * chunk to the next. Not thread-safe; one instance per stream.
 */
public final class Reframer {
    private final int frameLength;
    private final int channels;
    private final float[] carry;
    private int carried;

    /**
     * @param format      format of the chunks
     * @param frameMillis frame duration; 10 or 20 ms
     * @throws AudioFormatException for another duration or one that is not a whole number of samples
     */
    public Reframer(AudioFormat format, int frameMillis) {
        if (frameMillis != 10 && frameMillis != 20) {
            throw new AudioFormatException("frame duration must be 10 or 20 ms, not " + frameMillis);
        }
        this.frameLength = format.frameLength(frameMillis);
        this.channels = format.channels();
        this.carry = new float[frameLength];
    }

    /** Interleaved samples per output frame. */
    public int frameLength() {
        return frameLength;
    }

    /** Samples currently carried over (less than one frame). */
    public int carried() {
        return carried;
    }

    /**
     * Adds a chunk and returns the complete frames it finishes (possibly none). Each returned
     * frame is a new array.
     *
     * @throws AudioFormatException if the chunk is not a whole number of multi-channel samples
     */
    public List<float[]> push(float[] chunk) {
        if (chunk.length % channels != 0) {
            throw new AudioFormatException("chunk of " + chunk.length + " samples is not a whole number of "
                    + channels + "-channel samples");
        }
        List<float[]> out = new ArrayList<>((carried + chunk.length) / frameLength);
        int pos = 0;
        while (pos < chunk.length) {
            int n = Math.min(frameLength - carried, chunk.length - pos);
            System.arraycopy(chunk, pos, carry, carried, n);
            carried += n;
            pos += n;
            if (carried == frameLength) {
                out.add(carry.clone());
                carried = 0;
            }
        }
        return out;
    }

    /**
     * Ends the stream: returns the carried remainder according to {@code tail} (empty list if
     * nothing is carried or the tail is dropped) and resets the carry.
     */
    public List<float[]> finish(Frames.Tail tail) {
        if (carried == 0) {
            return List.of();
        }
        float[] last;
        switch (tail) {
            case DROP -> last = null;
            case SHORT -> last = java.util.Arrays.copyOf(carry, carried);
            default -> {
                last = new float[frameLength];
                System.arraycopy(carry, 0, last, 0, carried);
            }
        }
        carried = 0;
        return last == null ? List.of() : List.of(last);
    }
}
