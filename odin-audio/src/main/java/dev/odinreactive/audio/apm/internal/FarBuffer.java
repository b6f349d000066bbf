package dev.odinreactive.audio.apm.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The reverse (far-end) stream between its producer and the capture path: a bounded ring of one
 * second. Backpressure policy: the producer never waits; when the ring is full the oldest samples
 * are dropped (counted in {@link #dropped()}); when the capture path needs a block the ring does
 * not hold, the missing samples are silence (counted in {@link #missing()}). Thread-safe.
 */
public final class FarBuffer {
    public static final int CAPACITY = 48000;
    private final float[] ring = new float[CAPACITY];
    private int read;
    private int size;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong missing = new AtomicLong();

    public synchronized void write(float[] samples) {
        for (float v : samples) {
            if (size == CAPACITY) {
                read = (read + 1) % CAPACITY;
                size--;
                dropped.incrementAndGet();
            }
            ring[(read + size) % CAPACITY] = v;
            size++;
        }
    }

    /** Fills {@code out} with the next samples; returns false when nothing at all was buffered. */
    public synchronized boolean read(float[] out) {
        if (size == 0) {
            java.util.Arrays.fill(out, 0f);
            missing.addAndGet(out.length);
            return false;
        }
        for (int i = 0; i < out.length; i++) {
            if (size > 0) {
                out[i] = ring[read];
                read = (read + 1) % CAPACITY;
                size--;
            } else {
                out[i] = 0f;
                missing.incrementAndGet();
            }
        }
        return true;
    }

    public long dropped() {
        return dropped.get();
    }

    public long missing() {
        return missing.get();
    }
}
