package dev.odinreactive.protocol.media.internal;

import dev.odinreactive.protocol.media.MediaDropReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Drop counters by {@link MediaDropReason}. Thread-safe; increments do not allocate. */
public final class DropCounters {

    private static final MediaDropReason[] REASONS = MediaDropReason.values();
    private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);

    public void increment(MediaDropReason reason) {
        counts.getAndIncrement(reason.ordinal());
    }

    public long get(MediaDropReason reason) {
        return counts.get(reason.ordinal());
    }

    public long total() {
        long sum = 0;
        for (int i = 0; i < REASONS.length; i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    /** An immutable snapshot holding only the reasons with a non-zero count. */
    public Map<MediaDropReason, Long> snapshot() {
        EnumMap<MediaDropReason, Long> map = new EnumMap<>(MediaDropReason.class);
        for (MediaDropReason r : REASONS) {
            long n = counts.get(r.ordinal());
            if (n != 0) {
                map.put(r, n);
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
