package dev.odinreactive.client;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A remote peer's audio stream as this client receives it (from {@link RoomEvent.MediaAdded}).
 *
 * <p>Packets go through a per-media jitter buffer played out by the room's 20 ms audio clock
 * (one clock per room, so all remote medias of a room are frame-aligned). Thread-safe.
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
     * 48 kHz mono), one ~20 ms frame per clock tick: decoded packets, concealment (PLC/FEC) for
     * lost ones, silence while the peer does not talk. Hot and shared: frames emitted before a
     * subscription are not replayed. Emits on the room's audio thread ({@code odin-client-N-dsp});
     * a subscriber that has not requested the next frame loses it (counted in
     * {@link RemoteMediaStats#framesNotDelivered()}): live audio is never queued. Completes after
     * the media is removed, once its buffered tail played out; never errors.
     */
    Flux<float[]> frames();

    /** The jitter-buffer counters (a snapshot). */
    RemoteMediaStats stats();

    /** Whether packets are currently flowing (between the first packet and end-of-talk/timeout). */
    boolean isActive();

    /** Empties the jitter buffer and resets the decoder (the counters stay). */
    void reset();

    /**
     * Asks the server to stop forwarding this media to me only (ODIN's receiver-side pause);
     * completes when the server acknowledged. Fails like other room commands.
     */
    Mono<Void> pause();

    /** Undoes {@link #pause()}. */
    Mono<Void> resume();
}
