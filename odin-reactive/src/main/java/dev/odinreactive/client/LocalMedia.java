package dev.odinreactive.client;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.internal.media.DefaultLocalMedia;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A local audio input (a microphone, a file, a generator) to send into a room with
 * {@link Room#addMedia}. Created from the source's {@link AudioFormat} (8–192 kHz, 1–2 channels)
 * and a {@code Flux<float[]>} of interleaved samples in [-1, 1], chunks of any size.
 *
 * <p>Once added, on the room's audio thread: mono down-mix → resample to 48 kHz → 20 ms frames →
 * the room's APM ({@link Room#configureApm}; pass-through when none was configured before the
 * media was added) → talk decision → Opus (ODIN defaults: 32 kbit/s VOIP, in-band FEC; complexity 3) → packets.
 * While the talk decision is off nothing is sent (DTX); the last packet of a talk spurt carries
 * the end-of-talk flag. Without APM the talk decision is "not digital silence" (peak above
 * -80 dBFS, 300 ms hang-over).
 *
 * <p><b>Backpressure.</b> The source is requested without bound and handed to the audio thread
 * through a buffer of 8 chunks (at most 8 wait); when it is full, the oldest are dropped and counted
 * ({@link LocalMediaStats#chunksDropped()}) — a live source is never queued without bound. A
 * source faster than real time (a file) should be created {@link #paced}.
 *
 * <p>The media ends when the source completes or errors, or on {@link #close()}; the room is told
 * ({@code StopMedia}). One {@code LocalMedia} can be added to one room once.
 */
public interface LocalMedia {

    /** A live source (emits in real time). */
    static LocalMedia create(AudioFormat format, Flux<float[]> source) {
        return new DefaultLocalMedia(format, source, false, Map.of());
    }

    /** A source faster than real time (e.g. a file): consumed at one 20 ms frame per 20 ms. */
    static LocalMedia paced(AudioFormat format, Flux<float[]> source) {
        return new DefaultLocalMedia(format, source, true, Map.of());
    }

    /** The source's format. */
    AudioFormat format();

    /** The media id in its room, 0 before {@link Room#addMedia} completed (changes after a reconnect). */
    int id();

    /** Whether the talk decision is on now. */
    boolean isActive();

    /** The counters. */
    LocalMediaStats stats();

    /**
     * Stops the stream (cancels the source), tells the room ({@code StopMedia}); completes when
     * the server acknowledged (or at once when not connected). Idempotent; never fails.
     */
    Mono<Void> close();
}
