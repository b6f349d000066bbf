package dev.odinreactive.client;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A remote peer's audio stream as this client receives it (from {@link RoomEvent.MediaAdded}).
 *
 * <p>Packets go through a per-media adaptive jitter buffer (odin-audio's {@code JitterBuffer}:
 * reorder, de-duplicate, Opus PLC and in-band FEC; starts at 40 ms, shrinks to 20 ms on a clean
 * path, grows on late packets up to 200 ms) that plays one frame per 20 ms on the room's playout
 * thread. Thread-safe.
 */
public interface RemoteMedia {

    /** The media id (unique in the room while the media exists). */
    int id();

    /** The owning peer's id. */
    long peerId();

    /** Always {@code "audio"} in this version (ODIN's media type). */
    default String type() {
        return "audio";
    }

    /**
     * Decoded audio at the client's output format ({@code OdinClient.Builder#outputAudio}, default
     * 48 kHz mono), one ~20 ms frame per 20 ms, clocked by the jitter buffer from the first packet
     * on: decoded packets, concealment (PLC/FEC) for lost ones, silence while the peer does not
     * talk. Hot and shared: frames emitted before a subscription are not replayed. Emits on the
     * room's playout thread ({@code odin-client-N-dsp-...-playout}); a subscriber that has not
     * requested the next frame loses it (counted in {@link RemoteMediaStats#framesNotDelivered()}):
     * live audio is never queued. Completes after the media is removed, once its buffered tail
     * (and packets still in flight, up to its end-of-talk packet, or until none came for 500 ms)
     * played out; never errors.
     */
    Flux<float[]> frames();

    /** The jitter-buffer counters (a snapshot). */
    RemoteMediaStats stats();

    /**
     * Whether the peer is talking as played out: from a packet played until the end-of-talk packet
     * played or 200 ms passed without a packet (timeout).
     */
    boolean isActive();

    /**
     * Empties the jitter buffer (buffered packets count as dropped), resets the decoder and the
     * delay; the next packet starts a new timeline, silence until then. The counters stay.
     */
    void reset();

    /**
     * Asks the server to stop forwarding this media to me only (ODIN's receiver-side pause);
     * completes when the server acknowledged. Fails like other room commands.
     */
    Mono<Void> pause();

    /** Undoes {@link #pause()}. */
    Mono<Void> resume();
}
