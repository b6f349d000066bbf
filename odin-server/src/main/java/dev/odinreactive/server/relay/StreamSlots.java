package dev.odinreactive.server.relay;

/**
 * A receiver's {@code concurrent_streams} slots. A stream (sender session, media id) holds a slot
 * while packets flow; the slot frees on its end-of-talk packet or after the idle timeout, and a
 * new stream takes a free slot or is dropped. Event loop only; no allocation. Each slot is a pair
 * (stream key, last use) in one array, so a check touches one array per receiver.
 */
final class StreamSlots {

    private static final long EMPTY = -1L;

    /** {@code [2i]} stream key or {@link #EMPTY}, {@code [2i+1]} nanos of its last packet. */
    private final long[] slots;
    private final long idleNanos;

    StreamSlots(int limit, long idleNanos) {
        this.slots = new long[2 * limit];
        this.idleNanos = idleNanos;
        for (int i = 0; i < slots.length; i += 2) {
            slots[i] = EMPTY;
        }
    }

    static long streamKey(int senderSessionId, int mediaId) {
        return ((senderSessionId & 0xFFFFFFFFL) << 16) | mediaId;
    }

    /** Whether the stream may go to this receiver now; records the use. */
    boolean admit(long stream, long now, boolean endOfTalk) {
        long[] s = slots;
        if (s.length == 0) {
            return true; // unlimited
        }
        int free = -1;
        for (int i = 0; i < s.length; i += 2) {
            long key = s[i];
            if (key == stream) {
                if (endOfTalk) {
                    s[i] = EMPTY;
                } else {
                    s[i + 1] = now;
                }
                return true;
            }
            if (free < 0 && (key == EMPTY || now - s[i + 1] > idleNanos)) {
                free = i;
            }
        }
        if (free < 0) {
            return false;
        }
        if (!endOfTalk) {
            s[free] = stream;
            s[free + 1] = now;
        } else {
            s[free] = EMPTY;
        }
        return true;
    }

    /** Streams currently holding a slot (for tests and stats). */
    int active(long now) {
        int n = 0;
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i] != EMPTY && now - slots[i + 1] <= idleNanos) {
                n++;
            }
        }
        return n;
    }
}
