package dev.odinreactive.protocol.media.internal;

import dev.odinreactive.protocol.media.MediaDropReason;

/**
 * The receive pipeline both ends share, after the key was found: early replay check, AEAD
 * open, then replay-window update. Never throws; every rejection is counted.
 */
public final class InboundDatagrams {

    private InboundDatagrams() {
    }

    /**
     * Opens a datagram that passed {@link MediaWire#precheck} and whose key id selected
     * {@code opener}/{@code window}.
     *
     * @return the plaintext body length (body in {@code plain[0, n)}), or -1 after counting the
     *         reason in {@code drops}
     */
    public static int open(byte[] rx, int len, MediaAead opener, ReplayWindow window, byte[] plain,
                           DropCounters drops) {
        long pn = MediaWire.packetNumber(rx);
        int early = window.check(pn);
        if (early != ReplayWindow.OK) {
            drops.increment(early == ReplayWindow.DUPLICATE ? MediaDropReason.REPLAYED : MediaDropReason.TOO_OLD);
            return -1;
        }
        int headerLen = MediaWire.headerLength(MediaWire.type(rx));
        int n = opener.open(rx, headerLen, len, plain);
        if (n < 0) {
            drops.increment(MediaDropReason.AUTH_FAILED);
            return -1;
        }
        int late = window.accept(pn);
        if (late != ReplayWindow.OK) { // cannot happen single-threaded, kept for safety
            drops.increment(late == ReplayWindow.DUPLICATE ? MediaDropReason.REPLAYED : MediaDropReason.TOO_OLD);
            return -1;
        }
        return n;
    }
}
