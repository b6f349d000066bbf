package dev.odinreactive.audio;

/**
 * A whole piece of audio in memory: its format and its interleaved samples in [-1, 1].
 * The array is not copied (records compare arrays by reference).
 *
 * @param format  sample rate and channels
 * @param samples interleaved samples; length is a multiple of {@code format.channels()}
 */
public record AudioClip(AudioFormat format, float[] samples) {

    /** Checks that the sample count fits the channel count. */
    public AudioClip {
        if (format == null || samples == null) {
            throw new NullPointerException("format and samples are required");
        }
        if (samples.length % format.channels() != 0) {
            throw new AudioFormatException(samples.length + " samples are not a whole number of "
                    + format.channels() + "-channel frames");
        }
    }

    /** Samples per channel. */
    public int samplesPerChannel() {
        return samples.length / format.channels();
    }

    /** Duration in seconds. */
    public double seconds() {
        return format.seconds(samples.length);
    }
}
