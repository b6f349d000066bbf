package dev.odinreactive.audio.mix;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.odinreactive.audio.AudioFormat;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Mixes a changing set of clocked 20 ms frame streams into one clocked output.
 * <p>Built on {@link Flux#combineLatest}: the mixer clock (one tick per 20 ms on the injected
 * {@link Scheduler}) is combined with the latest snapshot of the member set, so streams can
 * {@link #add join} and leave (complete, or dispose the handle) while it runs; a membership
 * change alone never produces an output frame. Each input feeds a small mailbox and each tick
 * takes at most one frame from every mailbox, so every input frame is mixed exactly once; a
 * member with no frame this tick counts as silence. The sum goes through a soft limiter
 * (identity up to {@code threshold}, then a tanh knee approaching ±1), so it never clips.
 * <h2>Backpressure</h2>
 * A mailbox holds at most {@code mailboxFrames} frames (200 ms by default); when an input runs
 * ahead beyond that, its oldest frames are dropped and counted ({@link #framesDropped()}). Each
 * subscriber of {@link #output()} has its own buffer of 8 frames, dropping the oldest beyond.
 * <h2>Echo canceller hook</h2>
 * {@link #output()} is shared: playback and the echo canceller's reverse stream subscribe to the
 * same frames ({@code mixer.output()} is exactly what was played).
 * Frames are emitted on the clock's thread. {@link #dispose()} cancels all inputs and completes
 * the output.
 */
public final class Mixer implements Disposable {
    /** Frame duration. */
    public static final Duration FRAME = Duration.ofMillis(20);

    private final AudioFormat format;
    private final int frameLength;
    private final int mailboxFrames;
    private final float threshold;
    private final Object lock = new Object();
    private final Sinks.Many<List<Member>> members = Sinks.many().replay().latest();
    private final Sinks.Empty<Void> stop = Sinks.empty();
    private final Flux<float[]> shared;
    private final AtomicLong mixed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong outputDropped = new AtomicLong();
    private List<Member> current = List.of();
    private volatile boolean disposed;

    private final class Member implements Disposable {
        private final ArrayDeque<float[]> mailbox = new ArrayDeque<>();
        private Disposable subscription;
        private boolean completed;
        private volatile boolean removed;

        void push(float[] frame) {
            synchronized (this) {
                if (frame.length != frameLength) {
                    dropped.incrementAndGet();
                    return;
                }
                if (mailbox.size() >= mailboxFrames) {
                    mailbox.pollFirst();
                    dropped.incrementAndGet();
                }
                mailbox.addLast(frame);
            }
        }

        synchronized void complete() {
            completed = true;
        }

        synchronized float[] poll() {
            return mailbox.pollFirst();
        }

        synchronized boolean finished() {
            return completed && mailbox.isEmpty();
        }

        @Override
        public void dispose() {
            if (!removed) {
                removed = true;
                if (subscription != null) {
                    subscription.dispose();
                }
                remove(this);
            }
        }

        @Override
        public boolean isDisposed() {
            return removed;
        }
    }

    private Mixer(AudioFormat format, Scheduler clock, int mailboxFrames, float threshold) {
        if (mailboxFrames < 1 || !(threshold > 0f && threshold < 1f)) {
            throw new IllegalArgumentException("mailboxFrames must be >= 1 and threshold in (0, 1)");
        }
        this.format = format;
        this.frameLength = format.frameLength(20);
        this.mailboxFrames = mailboxFrames;
        this.threshold = threshold;
        members.tryEmitNext(current);
        Flux<Long> ticks = Flux.interval(FRAME, FRAME, clock).onBackpressureDrop();
        this.shared = Flux.combineLatest(ticks, members.asFlux(), Tick::new)
                .distinctUntilChanged(Tick::index) // only clock ticks mix; joins and leaves do not
                .map(t -> mix(t.members()))
                .takeUntilOther(stop.asMono())
                .publish()
                .refCount();
    }

    private record Tick(long index, List<Member> members) {
    }

    /** A mixer of 20 ms frames in {@code format} with a 200 ms mailbox per input and a limiter knee at 0.9. */
    public static Mixer create(AudioFormat format, Scheduler clock) {
        return new Mixer(format, clock, 10, 0.9f);
    }

    /**
     * A mixer with explicit settings.
     *
     * @param mailboxFrames frames an input may run ahead before its oldest are dropped
     * @param threshold     limiter knee in (0, 1): samples below it pass unchanged
     */
    public static Mixer create(AudioFormat format, Scheduler clock, int mailboxFrames, float threshold) {
        return new Mixer(format, clock, mailboxFrames, threshold);
    }

    /**
     * Operator form: every inner Flux of {@code streams} joins the mix when it is emitted and
     * leaves when it completes or errors (after its queued frames were mixed).
     */
    public static Function<Flux<Flux<float[]>>, Flux<float[]>> mixing(AudioFormat format, Scheduler clock) {
        return streams -> Flux.defer(() -> {
            Mixer m = create(format, clock);
            Disposable joins = streams.subscribe(m::add);
            return m.output().doFinally(s -> {
                joins.dispose();
                m.dispose();
            });
        });
    }

    /** The frame format. */
    public AudioFormat format() {
        return format;
    }

    /**
     * Adds a clocked stream of 20 ms frames; it leaves when it completes or errors (its queued
     * frames are still mixed) or when the returned handle is disposed (queued frames discarded).
     * Frames of the wrong length are dropped and counted.
     */
    public Disposable add(Flux<float[]> input) {
        Member m = new Member();
        synchronized (lock) {
            if (disposed) {
                return m;
            }
            List<Member> next = new ArrayList<>(current);
            next.add(m);
            publish(next);
        }
        m.subscription = input.subscribe(m::push, e -> m.complete(), m::complete);
        return m;
    }

    private void remove(Member m) {
        synchronized (lock) {
            if (current.contains(m)) {
                List<Member> next = new ArrayList<>(current);
                next.remove(m);
                publish(next);
            }
        }
    }

    private void publish(List<Member> next) {
        current = List.copyOf(next);
        members.tryEmitNext(current);
    }

    /** Number of streams in the mix. */
    public int inputs() {
        synchronized (lock) {
            return current.size();
        }
    }

    /** Input frames mixed so far. */
    public long framesMixed() {
        return mixed.get();
    }

    /** Input frames dropped (mailbox overflow or wrong length). */
    public long framesDropped() {
        return dropped.get();
    }

    /** Output frames dropped for slow subscribers. */
    public long outputFramesDropped() {
        return outputDropped.get();
    }

    /**
     * The clocked mix: one frame per 20 ms while subscribed (silence when nobody speaks),
     * shared by all subscribers (the clock starts with the first and stops after the last).
     */
    public Flux<float[]> output() {
        return shared.onBackpressureBuffer(8, f -> outputDropped.incrementAndGet(), BufferOverflowStrategy.DROP_OLDEST);
    }

    private float[] mix(List<Member> list) {
        float[] out = new float[frameLength];
        List<Member> done = null;
        for (Member m : list) {
            float[] f = m.poll();
            if (f != null) {
                for (int i = 0; i < frameLength; i++) {
                    out[i] += f[i];
                }
                mixed.incrementAndGet();
            }
            if (m.finished()) {
                if (done == null) {
                    done = new ArrayList<>(2);
                }
                done.add(m);
            }
        }
        if (done != null) {
            for (Member m : done) {
                m.removed = true;
                remove(m);
            }
        }
        limit(out, threshold);
        return out;
    }

    /** Soft limiter in place: identity below {@code threshold}, tanh knee above, never beyond ±1. */
    public static void limit(float[] samples, float threshold) {
        float range = 1f - threshold;
        for (int i = 0; i < samples.length; i++) {
            float x = samples[i];
            float a = Math.abs(x);
            if (a > threshold) {
                float y = threshold + range * (float) Math.tanh((a - threshold) / range);
                samples[i] = x < 0 ? -y : y;
            }
        }
    }

    /** Cancels every input and completes the output. */
    @Override
    public void dispose() {
        List<Member> all;
        synchronized (lock) {
            disposed = true;
            all = current;
            publish(List.of());
        }
        for (Member m : all) {
            m.removed = true;
            if (m.subscription != null) {
                m.subscription.dispose();
            }
        }
        stop.tryEmitEmpty();
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }
}
