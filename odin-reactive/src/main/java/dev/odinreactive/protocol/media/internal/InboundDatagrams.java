package dev.odinreactive.protocol.media.internal;

import dev.odinreactive.protocol.media.MediaDropReason;

/**
 * The receive pipeline both ends share, after the key was found: early replay check, AEAD
 * open, then replay-window update. Never throws; a rejection is returned as a negative code
 * ({@link #reason(int)}) for the caller to count.
 */
public final class InboundDatagrams {

    private static final MediaDropReason[] REASONS = MediaDropReason.values();

    private InboundDatagrams() {
    }

    /**
     * Opens a datagram that passed {@link MediaWire#precheck} and whose key id selected
     * {@code opener}/{@code window}; the plaintext body goes to {@code plain[plainOff, ...)}.
     *
     * @return the plaintext body length (&ge; 0), or a negative code for {@link #reason(int)}
     */
    public static int open(byte[] rx, int len, MediaAead opener, ReplayWindow window, byte[] plain, int plainOff) {
        long pn = MediaWire.packetNumber(rx);
        int early = window.check(pn);
        if (early != ReplayWindow.OK) {
            return code(early == ReplayWindow.DUPLICATE ? MediaDropReason.REPLAYED : MediaDropReason.TOO_OLD);
        }
        int headerLen = MediaWire.headerLength(MediaWire.type(rx));
        int n = opener.open(rx, headerLen, len, plain, plainOff);
        if (n < 0) {
            return code(MediaDropReason.AUTH_FAILED);
        }
        int late = window.accept(pn);
        if (late != ReplayWindow.OK) { // cannot happen when confined to one thread, kept for safety
            return code(late == ReplayWindow.DUPLICATE ? MediaDropReason.REPLAYED : MediaDropReason.TOO_OLD);
        }
        return n;
    }

    /** The reason behind a negative result of {@link #open}. */
    public static MediaDropReason reason(int code) {
        return REASONS[-code - 1];
    }

    private static int code(MediaDropReason reason) {
        return -reason.ordinal() - 1;
    }
}
