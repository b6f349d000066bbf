package dev.odinreactive.client.internal;

import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.RoomEvent;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Hot multicast of one room's events with a replay of the current state for every subscriber.
 *
 * <p>Emission and subscription take the same lock as the room's state changes, so a subscriber
 * sees exactly: the replay computed at the moment it subscribed, then every later event, with
 * no gap and no duplicate. Each subscriber has its own bounded buffer (emitting never waits for
 * a subscriber and never runs subscriber code on the emitting thread); delivery happens on the
 * given scheduler. When the buffer is full the configured policy applies: drop the oldest
 * buffered event (counted) or fail that subscriber with {@link OdinException.Reason#EVENTS_OVERFLOW}
 * (also counted); other subscribers are not affected.
 */
public final class EventHub {

    /** Events in hand-off to the delivery thread, on top of the buffer. */
    static final int PREFETCH = 16;

    private final Object lock;
    private final int bufferSize;
    private final boolean errorOnOverflow;
    private final Scheduler scheduler;
    private final LongAdder dropped = new LongAdder();
    private final List<FluxSink<RoomEvent>> sinks = new ArrayList<>();
    private boolean terminated;

    public EventHub(Object lock, int bufferSize, boolean errorOnOverflow, Scheduler scheduler) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be >= 1");
        }
        this.lock = lock;
        this.bufferSize = bufferSize;
        this.errorOnOverflow = errorOnOverflow;
        this.scheduler = scheduler;
    }

    /**
     * A new subscriber's view: {@code replay.get()} (evaluated under the lock at subscription
     * time), then live events until {@link #complete()}.
     */
    public Flux<RoomEvent> subscribe(Supplier<List<RoomEvent>> replay) {
        Flux<RoomEvent> source = Flux.create(sink -> {
            sink.onDispose(() -> {
                synchronized (lock) {
                    sinks.remove(sink);
                }
            });
            synchronized (lock) {
                for (RoomEvent e : replay.get()) {
                    sink.next(e);
                }
                if (terminated) {
                    sink.complete();
                } else if (!sink.isCancelled()) {
                    sinks.add(sink);
                }
            }
        }, FluxSink.OverflowStrategy.BUFFER);
        Flux<RoomEvent> buffered = errorOnOverflow
                ? source.onBackpressureBuffer(bufferSize, e -> dropped.increment())
                        .onErrorMap(Exceptions::isOverflow, e -> new OdinException(OdinException.Reason.EVENTS_OVERFLOW,
                                "events() subscriber too slow: more than " + bufferSize
                                        + " events buffered; resubscribe for a fresh snapshot"))
                : source.onBackpressureBuffer(bufferSize, e -> dropped.increment(), BufferOverflowStrategy.DROP_OLDEST);
        return buffered.publishOn(scheduler, PREFETCH);
    }

    /** Delivers {@code event} to every current subscriber. Call with the lock held, in state order. */
    public void emit(RoomEvent event) {
        synchronized (lock) {
            if (terminated) {
                return;
            }
            for (FluxSink<RoomEvent> sink : List.copyOf(sinks)) {
                sink.next(event);
            }
        }
    }

    /** Completes every subscriber; later subscribers get their replay and complete. Idempotent. */
    public void complete() {
        List<FluxSink<RoomEvent>> toComplete;
        synchronized (lock) {
            if (terminated) {
                return;
            }
            terminated = true;
            toComplete = List.copyOf(sinks);
            sinks.clear();
        }
        toComplete.forEach(FluxSink::complete);
    }

    /** Events dropped or refused because a subscriber's buffer was full, over all subscribers. */
    public long dropped() {
        return dropped.sum();
    }

    /** Current number of subscribers. */
    public int subscriberCount() {
        synchronized (lock) {
            return sinks.size();
        }
    }
}
