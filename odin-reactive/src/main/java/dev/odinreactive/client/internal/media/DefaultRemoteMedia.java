package dev.odinreactive.client.internal.media;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.RemoteMediaStats;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.media.MediaPacket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** A remote media: jitter buffer + decoder, played by the session's clock. */
final class DefaultRemoteMedia implements RemoteMedia {

    private final MediaSession session;
    private final long peerId;
    private final int id;
    private final PlayoutBuffer buffer = new PlayoutBuffer();
    private final Sinks.Many<float[]> frames = Sinks.many().multicast().directBestEffort();
    private final OutputConverter converter;
    private final float[] silence;
    private final AtomicLong notDelivered = new AtomicLong();
    /** Bound on playing out after removal: end-of-talk lost or never sent (25 ticks = 500 ms). */
    private static final int DRAIN_TICKS = 25;

    private volatile boolean active;      // changed under the room lock only
    private volatile boolean removed;     // changed under the room lock only
    private int drainTicks;               // audio thread

    DefaultRemoteMedia(MediaSession session, long peerId, int id, AudioFormat output) {
        this.session = session;
        this.peerId = peerId;
        this.id = id;
        this.converter = new OutputConverter(output);
        this.silence = new float[output.frameLength(20)];
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

    @Override
    public RemoteMediaStats stats() {
        PlayoutBuffer b = buffer;
        synchronized (b) {
            return new RemoteMediaStats(b.total, b.processed, b.tooEarly, b.tooLate, b.dropped, b.invalid, b.repeated,
                    b.lost, b.concealed, notDelivered.get());
        }
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

    void offer(MediaPacket p) {
        buffer.offer(p);
    }

    boolean hasListeners() {
        return frames.currentSubscriberCount() > 0;
    }

    /**
     * Audio thread: plays one slot. Returns the raw 48 kHz frame (into {@code raw}) or null when
     * silent; emits the converted frame to {@link #frames()} subscribers.
     */
    float[] tick(float[] raw, boolean forMix) {
        boolean listeners = hasListeners();
        PlayoutBuffer.Tick t = buffer.tick(raw, listeners || forMix);
        if (t == PlayoutBuffer.Tick.STARTED && !active) {
            session.remoteActive(this, true);
        }
        boolean audio = t != PlayoutBuffer.Tick.SILENT;
        if (t == PlayoutBuffer.Tick.ENDED && active) {
            session.remoteActive(this, false);
        }
        if (listeners) {
            float[] out = audio ? converter.convert(raw.clone()) : silence.clone();
            if (frames.tryEmitNext(out).isFailure()) {
                notDelivered.incrementAndGet();
            }
        }
        return audio ? raw : null;
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

    /** Audio thread, after removal: true once the stream played out its end (or the drain bound passed). */
    boolean drained() {
        return buffer.idleAfterEndOfTalk() || ++drainTicks >= DRAIN_TICKS;
    }

    /** Audio thread: {@link #frames()} complete, the decoder is released. */
    void complete() {
        frames.tryEmitComplete();
        buffer.close();
    }

    @Override
    public String toString() {
        return "RemoteMedia[id=" + id + ", peer=" + peerId + (active ? ", active" : "") + "]";
    }
}
