package dev.odinreactive.audio.opus;

/** The Opus codec refused a packet or a setting; the message says which and why. */
public class OpusCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed @param cause the codec's error, if any */
    public OpusCodecException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what failed */
    public OpusCodecException(String message) {
        super(message);
    }
}
