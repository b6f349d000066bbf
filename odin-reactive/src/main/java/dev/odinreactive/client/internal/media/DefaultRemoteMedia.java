package dev.odinreactive.client.internal.media;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.jitter.AudioStreamStats;
import dev.odinreactive.audio.jitter.JitterBuffer;
import dev.odinreactive.audio.jitter.JitterConfig;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.RemoteMediaStats;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.media.MediaPacket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A remote media: odin-audio's {@link JitterBuffer} (reorder, de-duplicate, PLC/FEC, adaptive
 * delay) clocked on the room's playout thread, its 48 kHz frames converted to the output format.
 *
 * <p>Lifecycle: {@link #start} subscribes the buffer's clock when the media is added. After
 * {@link #drain} (the media was removed) it keeps taking packets until its end-of-talk packet
 * played out, or no packet came for {@link #DRAIN_IDLE} (end-of-talk lost or never sent); then
 * the buffer plays what it holds and {@link #frames()} completes. {@link #complete} ends it at
 * once.
 */
final class DefaultRemoteMedia implements RemoteMedia {

    /** After removal: stop waiting for the end-of-talk packet once no packet came for this long. */
    static final Duration DRAIN_IDLE = Duration.ofMillis(500);
    /** After removal: stop waiting for the end-of-talk packet after this long in any case. */
    static final Duration DRAIN_MAX = Duration.ofSeconds(5);

    private final MediaSession session;
    private final long peerId;
    private final int id;
    private final Scheduler clock;
    private final JitterBuffer buffer;
    private final Sinks.Many<float[]> frames = Sinks.many().multicast().directBestEffort();
    /** The same frames at 48 kHz mono, for the room's mixer. */
    private final Sinks.Many<float[]> raw = Sinks.many().multicast().directBestEffort();
    private final Sinks.Empty<Void> done = Sinks.empty();
    private final OutputConverter converter;
    private final AtomicLong notDelivered = new AtomicLong();

    private volatile boolean active;      // changed under the room lock only
    private volatile boolean removed;     // changed under the room lock only
    private volatile boolean draining;
    private volatile Disposable playing;
    private volatile Disposable drainBound;
    private volatile long lastOfferNanos = System.nanoTime();
    private boolean talking;              // audio thread

    DefaultRemoteMedia(MediaSession session, long peerId, int id, AudioFormat output, JitterConfig jitter, Scheduler clock) {
        this.session = session;
        this.peerId = peerId;
        this.id = id;
        this.clock = clock;
        this.buffer = JitterBuffer.create(jitter, clock);
        this.converter = new OutputConverter(output);
    }

    /** Starts the buffer's 20 ms clock (frames flow from the first packet on). */
    void start() {
        playing = buffer.frames().subscribe(this::onFrame, e -> finished(), this::finished);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public long peerId() {
        return peerId;
    }

    @Override
    public Flux<float[]> frames() {
        return frames.asFlux();
    }

    /** 48 kHz mono frames as played (hot; completes with {@link #frames()}). */
    Flux<float[]> raw() {
        return raw.asFlux();
    }

    /** Completes when {@link #frames()} completed. */
    Mono<Void> done() {
        return done.asMono();
    }

    @Override
    public RemoteMediaStats stats() {
        AudioStreamStats s = buffer.stats();
        return new RemoteMediaStats(s.packetsTotal(), s.packetsProcessed(), s.packetsArrivedTooEarly(),
                s.packetsArrivedTooLate(), s.packetsDropped(), s.packetsInvalid(), s.packetsRepeated(), s.packetsLost(),
                buffer.framesConcealed(), buffer.framesRecovered(), notDelivered.get());
    }

    /** The jitter buffer's current playout delay. */
    Duration delay() {
        return buffer.delay();
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public void reset() {
        buffer.reset();
    }

    @Override
    public Mono<Void> pause() {
        return session.request(Methods.PAUSE_MEDIA, Map.of("media_id", (long) id));
    }

    @Override
    public Mono<Void> resume() {
        return session.request(Methods.RESUME_MEDIA, Map.of("media_id", (long) id));
    }

    /** Network thread: hands a packet to the jitter buffer (never blocks for long). */
    void offer(MediaPacket p) {
        lastOfferNanos = System.nanoTime();
        buffer.offer(new dev.odinreactive.audio.jitter.MediaPacket(Integer.toUnsignedLong(p.sequence()),
                Integer.toUnsignedLong(p.timestamp()), p.payload(), p.endOfTalk()));
    }

    /** Audio thread: one frame played by the buffer. */
    private void onFrame(float[] mono48k) {
        boolean nowTalking = buffer.isTalking();
        if (nowTalking != talking) {
            talking = nowTalking;
            session.remoteActive(this, nowTalking);
        }
        raw.tryEmitNext(mono48k);
        if (frames.currentSubscriberCount() > 0) {
            float[] out = converter.convert(mono48k);
            if (out == mono48k) { // no conversion: the mixers share mono48k, so the app gets its own copy
                out = out.clone();
            }
            if (frames.tryEmitNext(out).isFailure()) {
                notDelivered.incrementAndGet();
            }
        }
        if (draining && buffer.isIdleAfterEndOfTalk()) {
            buffer.complete();
        }
    }

    private void finished() {
        Disposable bound = drainBound;
        if (bound != null) {
            bound.dispose();
        }
        buffer.dispose();
        frames.tryEmitComplete();
        raw.tryEmitComplete();
        done.tryEmitEmpty();
    }

    /** Room lock held: flips the active state; false when removed or unchanged (no event then). */
    boolean switchActive(boolean to) {
        if (removed || active == to) {
            return false;
        }
        active = to;
        return true;
    }

    /** Room lock held: no more events for this media; true when it was active (emit active=false). */
    boolean markRemoved() {
        removed = true;
        boolean was = active;
        active = false;
        return was;
    }

    /**
     * Removed: play out the tail, packets still in flight included, until the end-of-talk packet
     * played, or no packet came for {@link #DRAIN_IDLE} (end-of-talk lost or never sent), or
     * {@link #DRAIN_MAX} passed; then complete.
     */
    void drain() {
        draining = true;
        long start = System.nanoTime();
        drainBound = Flux.interval(Duration.ofMillis(100), clock).subscribe(t -> {
            long now = System.nanoTime();
            if (now - lastOfferNanos > DRAIN_IDLE.toNanos() || now - start > DRAIN_MAX.toNanos()) {
                buffer.complete();
            }
        });
    }

    /** Ends at once: {@link #frames()} complete, the decoder is released. */
    void complete() {
        Disposable p = playing;
        if (p != null) {
            p.dispose();
        }
        finished();
    }

    @Override
    public String toString() {
        return "RemoteMedia[id=" + id + ", peer=" + peerId + (active ? ", active" : "") + "]";
    }
}
