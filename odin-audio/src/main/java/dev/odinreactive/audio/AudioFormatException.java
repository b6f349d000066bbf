package dev.odinreactive.audio;

/**
 * Signals an audio format outside what odin-audio supports (sample rate outside
 * 8 000–192 000 Hz, channel count other than 1 or 2, a frame length that is not a whole number
 * of samples, or frames whose length does not match the declared format).
 */
public class AudioFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, with the offending value */
    public AudioFormatException(String message) {
        super(message);
    }
}
