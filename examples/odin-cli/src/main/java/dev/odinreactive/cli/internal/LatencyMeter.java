package dev.odinreactive.cli.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mouth-to-ear latency from talk-spurt onsets: the talker reports when it pushed an onset frame,
 * the listener when it heard one; a heard onset belongs to the latest onset that talker pushed
 * (spurts are far further apart than the latency), each pushed onset counts once. Thread-safe.
 */
public final class LatencyMeter {

    /** A heard onset more than this after the pushed one is not a match (it was lost). */
    private static final long MAX_NANOS = 2_000_000_000L;

    private final Map<String, Long> lastPushed = new HashMap<>();
    private final List<Double> millis = new ArrayList<>();

    /** The talker pushed an onset frame at {@code nanos} ({@link System#nanoTime()}). */
    public synchronized void pushed(String talker, long nanos) {
        lastPushed.put(talker, nanos);
    }

    /** The listener heard an onset of {@code talker} at {@code nanos}. */
    public synchronized void heard(String talker, long nanos) {
        Long pushed = lastPushed.remove(talker);
        if (pushed != null && nanos >= pushed && nanos - pushed < MAX_NANOS) {
            millis.add((nanos - pushed) / 1e6);
        }
    }

    /** Number of matched onsets. */
    public synchronized int count() {
        return millis.size();
    }

    /** The {@code p}-th percentile in milliseconds (nearest rank), NaN without samples. */
    public synchronized double percentile(double p) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
