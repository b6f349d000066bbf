package dev.odinreactive.audio;

/**
 * Sample rate and channel count of interleaved {@code float[]} audio (ODIN's
 * {@code OdinAudioStreamConfig}). Validated on construction: 8 000–192 000 Hz, 1–2 channels;
 * anything else throws {@link AudioFormatException}.
 *
 * @param sampleRate samples per second per channel, 8 000–192 000
 * @param channels   1 (mono) or 2 (stereo, interleaved L R L R ...)
 */
public record AudioFormat(int sampleRate, int channels) {

    /** Lowest supported sample rate in Hz. */
    public static final int MIN_RATE = 8_000;
    /** Highest supported sample rate in Hz. */
    public static final int MAX_RATE = 192_000;
    /** ODIN's media format: 48 kHz mono. */
    public static final AudioFormat OPUS_MONO = new AudioFormat(48_000, 1);
    /** 48 kHz stereo. */
    public static final AudioFormat OPUS_STEREO = new AudioFormat(48_000, 2);

    /** Validates the fields. */
    public AudioFormat {
        if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
            throw new AudioFormatException("sample rate " + sampleRate + " Hz is outside "
                    + MIN_RATE + "-" + MAX_RATE + " Hz");
        }
        if (channels < 1 || channels > 2) {
            throw new AudioFormatException("channel count " + channels + " is not 1 or 2");
        }
    }

    /** Shorthand for {@code new AudioFormat(sampleRate, channels)}. */
    public static AudioFormat of(int sampleRate, int channels) {
        return new AudioFormat(sampleRate, channels);
    }

    /** The same rate with another channel count. */
    public AudioFormat withChannels(int newChannels) {
        return new AudioFormat(sampleRate, newChannels);
    }

    /** The same channel count at another rate. */
    public AudioFormat withSampleRate(int newRate) {
        return new AudioFormat(newRate, channels);
    }

    /**
     * Samples per channel in a frame of {@code millis} milliseconds.
     *
     * @throws AudioFormatException if the duration is not a whole number of samples at this rate
     */
    public int samplesPerChannel(int millis) {
        long product = (long) sampleRate * millis;
        if (millis <= 0 || product % 1000 != 0) {
            throw new AudioFormatException(millis + " ms is not a whole number of samples at "
                    + sampleRate + " Hz");
        }
        return (int) (product / 1000);
    }

    /** Length of an interleaved frame of {@code millis} ms ({@code samplesPerChannel * channels}). */
    public int frameLength(int millis) {
        return samplesPerChannel(millis) * channels;
    }

    /** Duration in seconds of {@code interleavedSamples} samples in this format. */
    public double seconds(long interleavedSamples) {
        return (double) interleavedSamples / channels / sampleRate;
    }

    @Override
    public String toString() {
        return sampleRate + " Hz " + (channels == 1 ? "mono" : "stereo");
    }
}
