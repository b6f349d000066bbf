package dev.odinreactive.protocol.media.internal;

/**
 * Receive-side accounting of one media stream's 32-bit sequence numbers (wrap-safe): how many
 * distinct packets arrived, how many are missing between the first and the newest, how many came
 * late (after a newer one). Duplicates never reach it (the replay window drops them first).
 * <b>Not thread-safe</b>.
 */
public final class SequenceTracker {

    private boolean started;
    private long first;
    private long newest;
    private int newestRaw;
    private long received;
    private long reordered;

    /** Records one distinct packet. */
    public void record(int sequence) {
        if (!started) {
            started = true;
            first = newest = sequence & 0xFFFFFFFFL;
            newestRaw = sequence;
            received = 1;
            return;
        }
        long ext = newest + (sequence - newestRaw); // signed 32-bit distance, wrap-safe
        received++;
        if (ext > newest) {
            newest = ext;
            newestRaw = sequence;
        } else {
            reordered++;
            if (ext < first) {
                first = ext;
            }
        }
    }

    public long received() {
        return received;
    }

    /** Packets between the first and the newest seen that have not (yet) arrived. */
    public long lost() {
        return started ? Math.max(0, newest - first + 1 - received) : 0;
    }

    /** Packets that arrived after a packet with a higher sequence number. */
    public long reordered() {
        return reordered;
    }
}
