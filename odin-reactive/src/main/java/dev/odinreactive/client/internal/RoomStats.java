package dev.odinreactive.client.internal;

import dev.odinreactive.client.ConnectionStats;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of one room, shared by its successive connections. Thread-safe. */
public final class RoomStats {
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final AtomicLong rttNanos = new AtomicLong();
    final LongAdder reconnects = new LongAdder();

    void received(int bytes) {
        bytesIn.add(bytes);
        messagesIn.increment();
    }

    void sent(int bytes) {
        bytesOut.add(bytes);
        messagesOut.increment();
    }

    /** A snapshot, with the event drops counted by the room's hub. */
    public ConnectionStats snapshot(long eventsDropped) {
        return new ConnectionStats(bytesIn.sum(), bytesOut.sum(), messagesIn.sum(), messagesOut.sum(),
                Duration.ofNanos(rttNanos.get()), reconnects.sum(), eventsDropped, 0, 0);
    }
}
