package dev.odinreactive.protocol.media;

/** The media transport could not reach the relay on any path in time. */
public final class MediaTransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MediaTransportException(String message) {
        super(message);
    }
}
