package dev.odinreactive.client;

import dev.odinreactive.audio.apm.ApmConfig;
import dev.odinreactive.protocol.media.MediaTransportStats;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * A joined room (from {@link RoomSpec#join}). Stays usable across automatic reconnects until
 * {@link #close()}, a server decision (kick, ban, room closed) or a reconnect that gives up.
 *
 * <p><b>Commands</b> are cold: nothing is sent until the returned {@code Mono} is subscribed.
 * They complete empty when the server acknowledged, and fail with an {@link OdinException}:
 * the server's rejection ({@code TOO_LARGE}, {@code RATE_LIMITED}, ...), a request timeout
 * ({@code TIMEOUT}), a dropped connection ({@code CONNECTION_LOST}), or {@code CLOSED}.
 * {@link #updatePeerUserData} and {@link #updatePosition} set <i>desired state</i>: while the
 * room reconnects they complete at once and the rejoin carries the value; if the connection
 * drops in flight they also complete, as the rejoin carries the value. Messages are not state:
 * {@link #sendMessage} fails with {@code NOT_CONNECTED} while reconnecting.
 *
 * <p><b>Getters</b> return immutable snapshots and never block. Completion signals of commands
 * arrive on the client's event-loop thread: do not block in them.
 */
public interface Room {

    /** The room id (the token's {@code rid}). */
    String id();

    /** The customer that owns the room (from the server's snapshot). */
    String customer();

    /** Own peer id; changes after each reconnect (see {@link RoomEvent.ConnectionStateChanged}). */
    long ownPeerId();

    /** Own user id (the token's {@code uid}). */
    String ownUserId();

    /** The room's user data. */
    Bytes userData();

    /** Own peer user data as last set (desired state). */
    Bytes ownUserData();

    /** The visible remote peers by id, in the order they became visible. */
    Map<Long, Peer> peers();

    /** The current connection state. */
    RoomEvent.ConnectionStateChanged.State connectionState();

    /**
     * The room's events: hot, shared by all subscribers, each starting with a {@link RoomEvent.Joined}
     * snapshot of the current state (plus the current {@code ConnectionStateChanged} if not
     * {@code CONNECTED}), then live events in server order. Completes after the final
     * {@code DISCONNECTED}; a subscriber that arrives later gets that event and completes. Never
     * errors unless the client was built with {@code OdinClient.OverflowPolicy.ERROR}.
     *
     * <p>Each subscriber has a bounded buffer ({@code OdinClient.Builder#eventBuffer}); events are
     * delivered on the client's event scheduler (threads {@code odin-client-events-*}), so a
     * slow subscriber never stalls the connection or other subscribers. On overflow the oldest
     * buffered events are dropped (counted in {@link ConnectionStats#eventsDropped()}); the getters
     * stay exact, and resubscribing gives a fresh snapshot.
     */
    Flux<RoomEvent> events();

    /** Replaces own peer user data; other peers get {@link RoomEvent.PeerUserDataChanged}. */
    Mono<Void> updatePeerUserData(byte[] userData);

    /**
     * Moves own peer; coordinates are multiplied by the room's position scale
     * ({@link RoomSpec#positionScale}) and peers farther apart than 1.0 (scaled) do not see each
     * other. Non-finite values fail with {@code INVALID_ARGUMENT}.
     *
     * <p>Call it as often as you like (e.g. every game frame): updates are coalesced so that at
     * most one is in flight and they use at most half of the server's command rate (5/s with
     * the default limits); the latest position wins. The {@code Mono} completes once a position
     * at least as new as this one has been acknowledged.
     */
    Mono<Void> updatePosition(double x, double y, double z);

    /** Sends a message to every other peer in the room (reliable, in order, not culled by range). */
    Mono<Void> sendMessage(byte[] message);

    /** Sends a message to the given peers only (ids unknown to the server fail with {@code UNKNOWN_PEER}). */
    Mono<Void> sendMessage(byte[] message, Collection<Long> targetPeerIds);

    /**
     * Leaves the room ({@code DISCONNECTING} then {@code DISCONNECTED/CLIENT_REQUESTED}), releases
     * its connection and completes {@link #events()}. Idempotent; never fails; completes within
     * the request timeout even if the server does not answer.
     */
    Mono<Void> close();

    // ------------------------------------------------------------------ media (docs/audio.md)

    /**
     * Sends a local audio input into the room: takes a free media id of this peer, announces it
     * ({@code StartMedia}; others get {@link RoomEvent.MediaAdded}) and starts its pipeline.
     * Completes when the server acknowledged. Fails with {@code INVALID_ARGUMENT} if the media was
     * already added or all media ids are in use, {@code NOT_CONNECTED} while reconnecting. After
     * a reconnect the media continues under a new id.
     */
    Mono<Void> addMedia(LocalMedia media);

    /** The remote medias this client currently receives, by media id (immutable snapshot). */
    Map<Integer, RemoteMedia> remoteMedias();

    /**
     * The mix of the room's remote medias at the client's output format (odin-audio's mixer with
     * a soft limiter): exactly one ~20 ms frame per 20 ms of the room's playout clock, silence when
     * nobody talks, so a recording of it has the wall-clock length. Follows the room: medias join
     * when added and leave after their last frame. Each subscription mixes on its own clock from
     * its subscription on; emits on the room's playout thread; a subscriber more than 8 frames
     * behind loses the oldest (live audio is never queued without bound). Completes when the room
     * closes; never errors.
     */
    Flux<float[]> mix();

    /** {@link #mix()} of the given medias only (each leaves the mix after its last frame). */
    Flux<float[]> mix(Collection<RemoteMedia> medias);

    /**
     * Room-level APM for all local medias of the room (ODIN's {@code odin_room_configure_apm}):
     * medias already running (they switch from pass-through to the APM chain between two frames)
     * and medias added later; each new configuration applies from the next 10 ms block. Until the
     * first call, local medias run without APM (pass-through, lowest latency). With the echo
     * canceller on, its reverse stream is the room's {@link #mix()} (a mixer runs while the
     * canceller is on) unless {@link #processReverse} supplies one.
     */
    void configureApm(ApmConfig config);

    /** {@link #configureApm(ApmConfig)} for each emitted configuration; dispose to stop following. */
    Disposable configureApm(Flux<ApmConfig> configs);

    /**
     * The app plays audio itself: {@code playback} (frames at the client's output format, as
     * played) becomes the echo canceller's reverse stream instead of the room's mix
     * ({@code odin_audio_process_reverse}). Dispose to go back to the mix.
     */
    Disposable processReverse(Flux<float[]> playback);

    /** Delay from playback to capture for the echo canceller ({@code odin_audio_set_stream_delay}). */
    void setStreamDelay(Duration delay);

    /**
     * Counters of the media transport (UDP/tunnel datagrams, RTT, loss, drops) of the current
     * connection, or of the last one while reconnecting; {@code null} before media was set up.
     */
    MediaTransportStats mediaStats();

    /** Counters of the control connection. */
    ConnectionStats stats();
}
