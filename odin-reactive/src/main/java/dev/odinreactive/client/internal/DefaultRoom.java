package dev.odinreactive.client.internal;

import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.ConnectionStats;
import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.OdinException.Reason;
import dev.odinreactive.client.OdinException.Step;
import dev.odinreactive.client.Peer;
import dev.odinreactive.client.ReconnectPolicy;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.client.RoomEvent.ConnectionStateChanged;
import dev.odinreactive.client.RoomEvent.ConnectionStateChanged.State;
import dev.odinreactive.protocol.HelloResult;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.Notification;
import dev.odinreactive.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The room state machine.
 *
 * <pre>
 *  join ──► CONNECTED ──(socket lost / server_shutdown)──► CONNECTING ──(rejoined)──► CONNECTED
 *              │  │                                            │
 *              │  └─(kicked, banned, room_closed)─► DISCONNECTED (SERVER_REQUESTED)
 *              │                                               └─(fatal error / attempts exhausted)─► DISCONNECTED (CONNECTION_LOST)
 *              └─ close() ─► DISCONNECTING ─► DISCONNECTED (CLIENT_REQUESTED)
 * </pre>
 *
 * All state (room snapshot, connection state, desired own state) is guarded by {@code this};
 * events are emitted under the same lock, so their order is the order of the state changes.
 * No I/O or user code runs under the lock.
 */
public final class DefaultRoom implements Room {

    private static final Logger log = LoggerFactory.getLogger(DefaultRoom.class);
    private static final Duration DEFAULT_PING = Duration.ofSeconds(5);

    private final ClientResources res;
    private final Connector.JoinParams initial;
    private final Mono<String> tokens;
    private final RoomStats stats;
    private final EventHub hub;
    private final double positionScale;
    private final Mono<Void> close;
    private final dev.odinreactive.client.internal.media.MediaSession media;

    // guarded by this
    private RoomState state;
    private State connectionState = State.CONNECTED;
    private ConnectionStateChanged.Reason lastReason = ConnectionStateChanged.Reason.CLIENT_REQUESTED;
    private OdinException lastError;
    private ControlConnection connection;
    private HelloResult hello;
    private Bytes desiredUserData;
    private Bytes ackedUserData;
    private double[] desiredPosition;
    private final List<MonoSink<Void>> positionWaiters = new ArrayList<>();
    private boolean positionInFlight;
    private ControlConnection positionConnection;
    private Disposable positionTimer;
    private long lastPositionSent = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
    private ServerUpdate.Left left;
    private Disposable reconnect;

    /** The longest one rejoin attempt may take before it is abandoned and retried (the join timeout if shorter). */
    static final Duration REJOIN_ATTEMPT_TIMEOUT = Duration.ofSeconds(1);

    private DefaultRoom(ClientResources res, Connector.JoinParams initial, Mono<String> tokens, double positionScale,
                        RoomStats stats, Connector.Session s) {
        this.res = res;
        this.tokens = tokens;
        this.positionScale = positionScale;
        this.initial = initial;
        this.stats = stats;
        this.hub = new EventHub(this, res.options().eventBufferSize(), res.options().errorOnEventOverflow(),
                res.eventScheduler());
        this.state = s.state();
        this.connection = s.connection();
        this.hello = s.hello();
        this.desiredUserData = s.sentUserData();
        this.ackedUserData = s.sentUserData();
        this.desiredPosition = s.sentPosition();
        this.close = Mono.defer(this::doClose).cache();
        this.media = new dev.odinreactive.client.internal.media.MediaSession(new dev.odinreactive.client.internal.media.MediaSession.Host() {
            @Override
            public void emit(java.util.function.Supplier<RoomEvent> decide) {
                synchronized (DefaultRoom.this) {
                    RoomEvent event = decide.get();
                    if (event != null && connectionState != State.DISCONNECTED) {
                        hub.emit(event);
                    }
                }
            }

            @Override
            public long ownPeerId() {
                return DefaultRoom.this.ownPeerId();
            }
        }, res.options().outputFormat(),
                res.options().requestTimeout(), res.options().joinTimeout(), res.name() + "-dsp-" + s.state().roomId());
        this.media.connected(s.connection(), s.mediaIds());
    }

    /** Joins and emits the room (on the event loop that received the snapshot). */
    public static Mono<Room> join(ClientResources res, Connector.JoinParams params, Mono<String> tokens,
                                  double positionScale) {
        return Mono.defer(() -> {
            if (res.isDisposed()) {
                return Mono.error(new OdinException(Reason.CLOSED, "the client is disposed"));
            }
            RoomStats stats = new RoomStats();
            return Connector.connect(res, params, stats).map(s -> {
                DefaultRoom room = new DefaultRoom(res, params, tokens, positionScale, stats, s);
                res.register(room);
                room.wire(s.connection());
                return room;
            });
        });
    }

    // ------------------------------------------------------------------ getters

    @Override
    public synchronized String id() {
        return state.roomId();
    }

    @Override
    public synchronized String customer() {
        return state.customer();
    }

    @Override
    public synchronized long ownPeerId() {
        return state.ownPeerId();
    }

    @Override
    public synchronized String ownUserId() {
        return state.ownUserId();
    }

    @Override
    public synchronized Bytes userData() {
        return state.roomUserData();
    }

    @Override
    public synchronized Bytes ownUserData() {
        return desiredUserData;
    }

    @Override
    public synchronized Map<Long, Peer> peers() {
        return state.peers(); // immutable
    }

    @Override
    public synchronized State connectionState() {
        return connectionState;
    }

    @Override
    public ConnectionStats stats() {
        ConnectionStats c = stats.snapshot(hub.dropped());
        dev.odinreactive.protocol.media.MediaTransportStats m = media.transportStats();
        if (m == null) {
            return c;
        }
        return new ConnectionStats(c.bytesIn(), c.bytesOut(), c.messagesIn(), c.messagesOut(), c.rtt(), c.reconnects(),
                c.eventsDropped(), m.udpDatagramsReceived() + m.tunnelDatagramsReceived(),
                m.udpDatagramsSent() + m.tunnelDatagramsSent());
    }

    // ------------------------------------------------------------------ media

    @Override
    public Mono<Void> addMedia(dev.odinreactive.client.LocalMedia localMedia) {
        Objects.requireNonNull(localMedia, "media");
        return media.add(localMedia);
    }

    @Override
    public Map<Integer, dev.odinreactive.client.RemoteMedia> remoteMedias() {
        return media.remoteMedias();
    }

    @Override
    public Flux<float[]> mix() {
        return media.mix(null);
    }

    @Override
    public Flux<float[]> mix(Collection<dev.odinreactive.client.RemoteMedia> medias) {
        return media.mix(List.copyOf(medias));
    }

    @Override
    public void configureApm(dev.odinreactive.audio.apm.ApmConfig config) {
        media.configureApm(Objects.requireNonNull(config, "config"));
    }

    @Override
    public Disposable configureApm(Flux<dev.odinreactive.audio.apm.ApmConfig> configs) {
        return configs.subscribe(media::configureApm);
    }

    @Override
    public Disposable processReverse(Flux<float[]> playback) {
        return media.processReverse(playback);
    }

    @Override
    public void setStreamDelay(Duration delay) {
        media.setStreamDelay(Objects.requireNonNull(delay, "delay"));
    }

    @Override
    public dev.odinreactive.protocol.media.MediaTransportStats mediaStats() {
        return media.transportStats();
    }

    @Override
    public Flux<RoomEvent> events() {
        return hub.subscribe(this::replay);
    }

    private List<RoomEvent> replay() {
        // called by the hub under this lock
        List<RoomEvent> events = new ArrayList<>(2);
        if (connectionState == State.DISCONNECTED) {
            events.add(stateEvent());
            return events;
        }
        events.add(state.toJoined());
        if (connectionState != State.CONNECTED) {
            events.add(stateEvent());
        }
        return events;
    }

    private ConnectionStateChanged stateEvent() {
        return new ConnectionStateChanged(connectionState, lastReason, state.ownPeerId(), lastError);
    }

    // ------------------------------------------------------------------ commands

    @Override
    public Mono<Void> updatePeerUserData(byte[] userData) {
        Objects.requireNonNull(userData, "userData");
        return Mono.defer(() -> {
            Bytes value = Bytes.of(userData);
            ControlConnection c;
            synchronized (this) {
                if (isClosing()) {
                    return Mono.error(Errors.closed());
                }
                int max = hello.limits().maxUserDataBytes();
                if (value.size() > max) {
                    return Mono.error(new OdinException(Reason.TOO_LARGE, null, Step.REQUEST,
                            "user data of " + value.size() + " bytes exceeds the server's max_user_data_bytes " + max, null));
                }
                desiredUserData = value;
                if (connectionState != State.CONNECTED) {
                    return Mono.empty(); // the rejoin carries it
                }
                c = connection;
            }
            return c.request(Methods.UPDATE_PEER, Map.of("user_data", value.toByteArray()),
                            res.options().requestTimeout(), Step.REQUEST)
                    .then()
                    .doOnSuccess(v -> {
                        synchronized (this) {
                            if (connection == c) {
                                ackedUserData = value;
                            }
                        }
                    })
                    .onErrorResume(this::carriedByRejoin, e -> Mono.empty())
                    .doOnError(e -> {
                        synchronized (this) {
                            if (desiredUserData == value) { // rejected: keep what the server has
                                desiredUserData = ackedUserData;
                            }
                        }
                    });
        });
    }

    @Override
    public Mono<Void> updatePosition(double x, double y, double z) {
        return Mono.defer(() -> {
            if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z)) {
                return Mono.error(new OdinException(Reason.INVALID_ARGUMENT, "position must be finite: "
                        + x + ", " + y + ", " + z));
            }
            double scale = positionScale;
            double[] scaled = {x * scale, y * scale, z * scale};
            if (!Double.isFinite(scaled[0]) || !Double.isFinite(scaled[1]) || !Double.isFinite(scaled[2])) {
                return Mono.error(new OdinException(Reason.INVALID_ARGUMENT, "scaled position overflows"));
            }
            synchronized (this) {
                if (isClosing()) {
                    return Mono.error(Errors.closed());
                }
                desiredPosition = scaled;
                if (connectionState != State.CONNECTED) {
                    return Mono.empty(); // the rejoin carries it
                }
            }
            return Mono.<Void>create(sink -> {
                synchronized (this) {
                    positionWaiters.add(sink);
                    flushPosition();
                }
            });
        });
    }

    /**
     * Sends the latest desired position unless one is in flight or the pacing interval has not
     * passed (then a timer or the in-flight answer calls back). With the lock held.
     */
    private void flushPosition() {
        if (positionWaiters.isEmpty() || positionInFlight || positionTimer != null) {
            return;
        }
        if (connectionState != State.CONNECTED) {
            // lost meanwhile (carried by the rejoin) or closed
            completeLater(takePositionWaiters(), isClosing() ? Errors.closed() : null);
            return;
        }
        long wait = lastPositionSent + positionInterval() - System.nanoTime();
        if (wait > 0) {
            positionTimer = Schedulers.parallel().schedule(() -> {
                synchronized (this) {
                    positionTimer = null;
                    flushPosition();
                }
            }, wait, TimeUnit.NANOSECONDS);
            return;
        }
        ControlConnection c = connection;
        double[] value = desiredPosition.clone();
        List<MonoSink<Void>> waiters = takePositionWaiters();
        positionInFlight = true;
        positionConnection = c;
        lastPositionSent = System.nanoTime();
        c.request(Methods.SET_PEER_POSITION, Map.of("position", List.of(value[0], value[1], value[2])),
                        res.options().requestTimeout(), Step.REQUEST)
                .subscribe(null, e -> {
                    synchronized (this) {
                        if (positionConnection == c) {
                            positionInFlight = false;
                            flushPosition();
                        }
                    }
                    if (carriedByRejoin(e)) {
                        waiters.forEach(MonoSink::success);
                    } else {
                        waiters.forEach(w -> w.error(e));
                    }
                }, () -> {
                    synchronized (this) {
                        if (positionConnection == c) {
                            positionInFlight = false;
                            flushPosition();
                        }
                    }
                    waiters.forEach(MonoSink::success);
                });
    }

    /** Completes callers off the lock (no user code ever runs while the room's lock is held). */
    private static void completeLater(List<MonoSink<Void>> waiters, Throwable error) {
        if (!waiters.isEmpty()) {
            Schedulers.parallel().schedule(() -> waiters.forEach(w -> {
                if (error == null) {
                    w.success();
                } else {
                    w.error(error);
                }
            }));
        }
    }

    private List<MonoSink<Void>> takePositionWaiters() {
        List<MonoSink<Void>> waiters = new ArrayList<>(positionWaiters);
        positionWaiters.clear();
        return waiters;
    }

    /** Position updates use at most half of the server's command rate, so other commands always fit. */
    private long positionInterval() {
        int rate = Math.max(1, hello.limits().commandRate() / 2);
        return TimeUnit.SECONDS.toNanos(1) / rate;
    }

    @Override
    public Mono<Void> sendMessage(byte[] message) {
        return send(message, null);
    }

    @Override
    public Mono<Void> sendMessage(byte[] message, Collection<Long> targetPeerIds) {
        Objects.requireNonNull(targetPeerIds, "targetPeerIds");
        return send(message, List.copyOf(targetPeerIds));
    }

    private Mono<Void> send(byte[] message, List<Long> targets) {
        Objects.requireNonNull(message, "message");
        return Mono.defer(() -> {
            ControlConnection c;
            synchronized (this) {
                if (isClosing()) {
                    return Mono.error(Errors.closed());
                }
                if (connectionState != State.CONNECTED) {
                    return Mono.error(new OdinException(Reason.NOT_CONNECTED,
                            "the room is reconnecting; messages are not queued"));
                }
                int max = hello.limits().maxMessageBytes();
                if (message.length > max) {
                    return Mono.error(new OdinException(Reason.TOO_LARGE, null, Step.REQUEST, "message of "
                            + message.length + " bytes exceeds the server's max_message_bytes " + max, null));
                }
                int maxTargets = hello.limits().maxMessageTargets();
                if (targets != null && targets.size() > maxTargets) {
                    return Mono.error(new OdinException(Reason.TOO_LARGE, null, Step.REQUEST, targets.size()
                            + " targets exceed the server's max_message_targets " + maxTargets, null));
                }
                c = connection;
            }
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("message", message.clone());
            if (targets != null) {
                params.put("target_peer_ids", targets);
            }
            return c.request(Methods.SEND_MESSAGE, params, res.options().requestTimeout(), Step.REQUEST).then();
        });
    }

    @Override
    public Mono<Void> close() {
        return close;
    }

    private Mono<Void> doClose() {
        ControlConnection c;
        synchronized (this) {
            if (connectionState == State.DISCONNECTED) {
                return Mono.empty();
            }
            c = connection;
            connection = null; // from now on, nothing from the old connection changes the state
            Disposable r = reconnect;
            if (r != null) {
                r.dispose();
            }
            transition(State.DISCONNECTING, ConnectionStateChanged.Reason.CLIENT_REQUESTED, null);
        }
        Duration timeout = res.options().requestTimeout();
        Mono<Void> leave = c == null ? Mono.empty()
                : c.request(Methods.LEAVE, Map.of(), timeout, Step.REQUEST)
                        .then()
                        .onErrorResume(e -> Mono.empty())
                        .then(c.close(timeout));
        return leave.then(Mono.fromRunnable(() -> {
            synchronized (this) {
                finish(ConnectionStateChanged.Reason.CLIENT_REQUESTED, null);
            }
        }));
    }

    private boolean isClosing() {
        return connectionState == State.DISCONNECTING || connectionState == State.DISCONNECTED;
    }

    /** State commands whose connection dropped in flight: the rejoin carries the desired value. */
    private boolean carriedByRejoin(Throwable e) {
        return Errors.isConnectionLost(e) && res.options().reconnect().enabled();
    }

    // ------------------------------------------------------------------ connection lifecycle

    private void wire(ControlConnection c) {
        c.onNotification(n -> onNotification(c, n));
        c.onClose().subscribe(info -> onConnectionClosed(c, info));
        long ms;
        synchronized (this) {
            ms = hello.pingIntervalMs();
        }
        c.startPing(ms > 0 ? Duration.ofMillis(ms) : DEFAULT_PING, res.options().requestTimeout());
    }

    private void onNotification(ControlConnection c, Notification n) {
        List<ServerUpdate> updates;
        try {
            updates = ServerUpdates.parse(n);
        } catch (ProtocolException e) {
            log.warn("room: ignoring malformed {} notification: {}", n.method(), e.getMessage());
            return;
        }
        synchronized (this) {
            if (connection != c) {
                return; // stale connection, or closing
            }
            for (ServerUpdate u : updates) {
                if (u instanceof ServerUpdate.Left l) {
                    left = l;
                    continue;
                }
                StateReducer.Step step = StateReducer.apply(state, u);
                state = step.state();
                step.events().forEach(e -> media.decorate(e).forEach(hub::emit));
            }
        }
    }

    private void onConnectionClosed(ControlConnection c, ControlConnection.CloseInfo info) {
        ReconnectPolicy policy = res.options().reconnect();
        synchronized (this) {
            if (connection != c) {
                return;
            }
            connection = null;
            ServerUpdate.Left l = left;
            left = null;
            Reason why = l == null ? Reason.CONNECTION_LOST : Errors.leftReason(l.reason());
            OdinException error = new OdinException(why, l == null ? null : l.reason(), null,
                    l == null ? "connection lost" + (info.error() == null ? "" : ": " + info.error())
                            : "removed by the server: " + l.reason(), info.error());
            if (l != null && !Errors.isTransient(error)) {
                finish(ConnectionStateChanged.Reason.SERVER_REQUESTED, error);
                return;
            }
            if (!policy.enabled()) {
                finish(ConnectionStateChanged.Reason.CONNECTION_LOST, error);
                return;
            }
            log.debug("room {}: {}, reconnecting", state.roomId(), error.getMessage());
            media.disconnected();
            transition(State.CONNECTING, ConnectionStateChanged.Reason.CONNECTION_LOST, null);
        }
        // each attempt asks the token source again: a rejoin after the token expired gets a fresh one
        // one attempt may meet a half-dead server (accepted, never answered): abandon it quickly and retry
        Duration attemptTimeout = res.options().joinTimeout().compareTo(REJOIN_ATTEMPT_TIMEOUT) < 0
                ? res.options().joinTimeout() : REJOIN_ATTEMPT_TIMEOUT;
        Disposable task = tokens.flatMap(token -> Connector.connect(res, () -> rejoinParams(token), stats, attemptTimeout))
                .doOnError(e -> log.debug("room {}: rejoin attempt failed: {}", id(), e.getMessage()))
                .retryWhen(Retry.backoff(policy.maxAttempts(), policy.minBackoff())
                        .maxBackoff(policy.maxBackoff())
                        .jitter(0.5)
                        .filter(Errors::isTransient)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .subscribe(this::onRejoined, this::onReconnectFailed);
        synchronized (this) {
            if (connectionState == State.CONNECTING) {
                reconnect = task;
                return;
            }
        }
        task.dispose(); // closed meanwhile
    }

    private synchronized Connector.JoinParams rejoinParams(String token) {
        return new Connector.JoinParams(initial.gatewayUrl(), token, state.roomId(), state.ownUserId(),
                desiredUserData, desiredPosition.clone());
    }

    private void onRejoined(Connector.Session s) {
        ControlConnection c = s.connection();
        boolean resendUserData;
        boolean resendPosition;
        synchronized (this) {
            if (connectionState != State.CONNECTING) {
                c.abort("room closed during rejoin");
                return;
            }
            RoomState before = state;
            state = s.state();
            connection = c;
            hello = s.hello();
            ackedUserData = s.sentUserData();
            left = null;
            positionInFlight = false; // an answer from the old connection no longer matters
            positionConnection = null;
            stats.reconnects.increment();
            StateReducer.reconcile(before, state).forEach(e -> media.decorate(e).forEach(hub::emit));
            transition(State.CONNECTED, ConnectionStateChanged.Reason.CONNECTION_LOST, null);
            resendUserData = !desiredUserData.equals(s.sentUserData());
            resendPosition = !Arrays.equals(desiredPosition, s.sentPosition());
        }
        wire(c);
        media.connected(c, s.mediaIds());
        // desired state changed while the JoinRoom was in flight: apply the latest values
        if (resendUserData) {
            updatePeerUserData(ownUserData().toByteArray()).subscribe(null, e -> log.debug("room: resend user data: {}", e.toString()));
        }
        if (resendPosition) {
            double[] p;
            synchronized (this) {
                p = desiredPosition.clone();
            }
            updatePosition(p[0] / positionScale, p[1] / positionScale, p[2] / positionScale).subscribe(null, e -> log.debug("room: resend position: {}", e.toString()));
        }
    }

    private void onReconnectFailed(Throwable t) {
        synchronized (this) {
            if (connectionState != State.CONNECTING) {
                return;
            }
            OdinException e = t instanceof OdinException oe ? oe
                    : new OdinException(Reason.CONNECTION_LOST, null, null, "reconnect failed: " + t, t);
            log.debug("room {}: reconnect gave up: {}", state.roomId(), e.getMessage());
            finish(ConnectionStateChanged.Reason.CONNECTION_LOST, e);
        }
    }

    /** Changes state and emits the event; with the lock held. */
    private void transition(State to, ConnectionStateChanged.Reason reason, OdinException error) {
        connectionState = to;
        lastReason = reason;
        lastError = error;
        hub.emit(stateEvent());
    }

    /** Final state: last event, complete the stream, release. With the lock held. Idempotent. */
    private void finish(ConnectionStateChanged.Reason reason, OdinException error) {
        if (connectionState == State.DISCONNECTED) {
            return;
        }
        Disposable r = reconnect;
        if (r != null) {
            r.dispose();
        }
        ControlConnection c = connection;
        connection = null;
        if (c != null) {
            c.abort("room finished");
        }
        media.dispose();
        transition(State.DISCONNECTED, reason, error);
        Disposable timer = positionTimer;
        positionTimer = null;
        if (timer != null) {
            timer.dispose();
        }
        completeLater(takePositionWaiters(), Errors.closed());
        hub.complete();
        res.unregister(this);
    }

    @Override
    public synchronized String toString() {
        return "Room[" + state.roomId() + ", peer " + state.ownPeerId() + ", " + connectionState + "]";
    }
}
