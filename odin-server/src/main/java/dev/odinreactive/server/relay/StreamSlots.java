package dev.odinreactive.server.relay;

import java.util.Arrays;

/**
 * A receiver's {@code concurrent_streams} slots. A stream (sender session, media id) holds a slot
 * while packets flow; the slot frees on its end-of-talk packet or after the idle timeout, and a
 * new stream takes a free slot or is dropped. Event loop only; no allocation.
 */
final class StreamSlots {

    private static final long EMPTY = -1L;

    private final long[] streams;
    private final long[] lastNanos;
    private final long idleNanos;

    StreamSlots(int limit, long idleNanos) {
        this.streams = new long[limit];
        this.lastNanos = new long[limit];
        this.idleNanos = idleNanos;
        Arrays.fill(streams, EMPTY);
    }

    static long streamKey(int senderSessionId, int mediaId) {
        return ((senderSessionId & 0xFFFFFFFFL) << 16) | mediaId;
    }

    /** Whether the stream may go to this receiver now; records the use. */
    boolean admit(long stream, long now, boolean endOfTalk) {
        if (streams.length == 0) {
            return true; // unlimited
        }
        int free = -1;
        for (int i = 0; i < streams.length; i++) {
            long s = streams[i];
            if (s == stream) {
                if (endOfTalk) {
                    streams[i] = EMPTY;
                } else {
                    lastNanos[i] = now;
                }
                return true;
            }
            if (free < 0 && (s == EMPTY || now - lastNanos[i] > idleNanos)) {
                free = i;
            }
        }
        if (free < 0) {
            return false;
        }
        if (!endOfTalk) {
            streams[free] = stream;
            lastNanos[free] = now;
        } else {
            streams[free] = EMPTY;
        }
        return true;
    }

    /** Streams currently holding a slot (for tests and stats). */
    int active(long now) {
        int n = 0;
        for (int i = 0; i < streams.length; i++) {
            if (streams[i] != EMPTY && now - lastNanos[i] <= idleNanos) {
                n++;
            }
        }
        return n;
    }
}
