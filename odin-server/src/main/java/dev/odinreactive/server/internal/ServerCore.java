package dev.odinreactive.server.internal;

import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.ProtocolException;
import dev.odinreactive.server.ServerConfig;
import dev.odinreactive.token.TokenVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.websocket.WebsocketInbound;

/**
 * The server's shared state: rooms, connections, capacity counters, bans and closed rooms,
 * metrics and the liveness sweep (one timer for the whole server, none per room or connection).
 * Thread-safe; room state itself lives in {@link Room}s.
 */
public final class ServerCore {

    static final String SERVER_NAME = "odin-reactive-server/0.1.0";

    private final ServerConfig config;
    private final TokenVerifier roomVerifier;
    private final TokenVerifier gatewayVerifier;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ServerMetrics metrics;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Set<PeerSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger peers = new AtomicInteger();
    private final AtomicLong peerIds = new AtomicLong();
    /** room id → closed until (epoch ms). */
    private final Map<String, Long> closedUntil = new ConcurrentHashMap<>();
    /** room id + NUL + user id → banned until (epoch ms). */
    private final Map<String, Long> bannedUntil = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;
    private volatile dev.odinreactive.server.relay.MediaRelay relay;
    private Disposable sweep;

    public ServerCore(ServerConfig config, TokenVerifier roomVerifier, TokenVerifier gatewayVerifier,
                      MeterRegistry registry, Clock clock, Scheduler scheduler) {
        this.config = config;
        this.roomVerifier = roomVerifier;
        this.gatewayVerifier = gatewayVerifier;
        this.clock = clock;
        this.scheduler = scheduler;
        this.metrics = new ServerMetrics(registry, rooms::size, peers, connections);
    }

    /** Runs {@code task} after {@code delay} on the server's scheduler (hand room state back to the room). */
    void later(Runnable task, java.time.Duration delay) {
        try {
            scheduler.schedule(task, delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: nothing left to hand back
        }
    }

    /** Attaches the media relay (the server disposes it at shutdown). */
    public void attachRelay(dev.odinreactive.server.relay.MediaRelay relay) {
        this.relay = relay;
    }

    /** The media relay, or null when running without one. */
    public dev.odinreactive.server.relay.MediaRelay relay() {
        return relay;
    }

    /** The UDP port clients send media to: the port of {@code public_address} when set, else the relay's. */
    int advertisedUdpPort() {
        String pub = config.publicAddress();
        if (pub != null) {
            int colon = pub.lastIndexOf(':');
            try {
                return Integer.parseInt(pub.substring(colon + 1));
            } catch (RuntimeException e) {
                // fall through: not host:port
            }
        }
        return relay.address().getPort();
    }

    /** The relay's routing over the rooms' state. */
    public static dev.odinreactive.server.relay.RelayRouting relayRouting() {
        return MediaRoutes.ROUTING;
    }

    public ServerConfig config() {
        return config;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    TokenVerifier roomVerifier() {
        return roomVerifier;
    }

    TokenVerifier gatewayVerifier() {
        return gatewayVerifier;
    }

    /** Current connections, peers and rooms (for tests and reports). */
    public int connectionCount() {
        return connections.get();
    }

    public int peerCount() {
        return peers.get();
    }

    public int roomCount() {
        return rooms.size();
    }

    // ------------------------------------------------------------ lifecycle

    /** Starts the liveness sweep (pings, idle timeouts, expiry of bans). */
    public void start() {
        long ping = config.http().pingInterval().toNanos();
        long timeout = config.http().timeout().toNanos();
        long periodMs = Math.max(10, Math.min(ping, timeout / 4) / 1_000_000);
        sweep = Flux.interval(java.time.Duration.ofMillis(periodMs), scheduler)
                .subscribe(t -> {
                    long now = System.nanoTime();
                    for (PeerSession s : sessions) {
                        s.checkLiveness(now, ping, timeout);
                    }
                    long nowMs = clock.millis();
                    closedUntil.values().removeIf(until -> until <= nowMs);
                    bannedUntil.values().removeIf(until -> until <= nowMs);
                });
    }

    /**
     * Stops accepting joins, tells every joined peer {@code Left{server_shutdown}} and closes every
     * connection; completes when all connections are gone (or after {@code timeout}).
     */
    public Mono<Void> shutdown(java.time.Duration timeout) {
        shuttingDown = true;
        if (sweep != null) {
            sweep.dispose();
        }
        for (Room room : rooms.values()) {
            room.kick(null, Methods.LEFT_SERVER_SHUTDOWN, () -> { });
        }
        for (PeerSession s : sessions) {
            if (!s.isJoined()) {
                s.closeAfterFlush(1001, Methods.LEFT_SERVER_SHUTDOWN);
            }
        }
        return Flux.interval(java.time.Duration.ofMillis(10), scheduler)
                .takeUntil(t -> connections.get() == 0)
                .then()
                .timeout(timeout, Mono.fromRunnable(() -> sessions.forEach(s -> s.channel().close())))
                .then(Mono.fromRunnable(() -> { // the relay's socket is closed before shutdown completes
                    dev.odinreactive.server.relay.MediaRelay r = relay;
                    if (r != null) {
                        r.dispose();
                    }
                }));
    }

    // ------------------------------------------------------------ connections

    /** Handles one control WebSocket; refuses it when {@code max_clients} is reached. */
    public Mono<Void> openSession(io.netty.channel.Channel channel, WebsocketInbound in, int hardFrameCap) {
        PeerSession session = new PeerSession(this, channel);
        if (shuttingDown || connections.incrementAndGet() > config.limits().maxClients()) {
            connections.decrementAndGet();
            metrics.reject(ErrorCode.SERVER_FULL.wireName());
            session.send(Notifications.error(ErrorCode.SERVER_FULL.wireName(),
                    shuttingDown ? "server is shutting down" : "server reached max_clients"));
            session.closeAfterFlush(1013, ErrorCode.SERVER_FULL.wireName());
            return in.receiveFrames().then();
        }
        sessions.add(session);
        return session.handle(in, hardFrameCap);
    }

    void unregister(PeerSession session) {
        if (sessions.remove(session)) {
            connections.decrementAndGet();
        }
    }

    // ------------------------------------------------------------ rooms

    /** Routes a verified join to its room, creating the room if needed. */
    void join(JoinRequest j) {
        if (shuttingDown) {
            j.fail(new ProtocolException(ErrorCode.SERVER_FULL, "server is shutting down"));
            return;
        }
        Room room;
        try {
            room = rooms.compute(j.roomId(), (id, existing) -> {
                if (existing != null) {
                    return existing;
                }
                if (rooms.size() >= config.limits().maxRooms()) {
                    throw new ProtocolException(ErrorCode.SERVER_FULL, "server reached max_rooms");
                }
                return new Room(id, this, scheduler::schedule);
            });
        } catch (ProtocolException e) {
            j.fail(e);
            return;
        }
        room.join(j);
    }

    void removeRoom(Room room) {
        rooms.remove(room.id, room);
    }

    /** Room task: why {@code userId} may not join {@code roomId} now, or null. */
    ErrorCode joinRefusal(String roomId, String userId) {
        long now = clock.millis();
        Long closed = closedUntil.get(roomId);
        if (closed != null && closed > now) {
            return ErrorCode.ROOM_CLOSED;
        }
        Long banned = bannedUntil.get(roomId + '\0' + userId);
        if (banned != null && banned > now) {
            return ErrorCode.BANNED;
        }
        return null;
    }

    boolean reservePeer() {
        if (peers.incrementAndGet() > config.limits().maxPeers()) {
            peers.decrementAndGet();
            return false;
        }
        return true;
    }

    void releasePeer() {
        peers.decrementAndGet();
    }

    long nextPeerId() {
        return peerIds.incrementAndGet();
    }

    int mediasPerPeer() {
        return config.limits().peer().medias();
    }

    // ------------------------------------------------------------ management (gateway)

    /** Closes a room: its peers get {@code Left{room_closed}}; rejoin blocked for {@code banSeconds}. */
    public Mono<Void> closeRoom(String roomId, long banSeconds) {
        return Mono.defer(() -> closeRoomNow(roomId, banSeconds));
    }

    private Mono<Void> closeRoomNow(String roomId, long banSeconds) {
        Room room = existing(roomId);
        if (banSeconds > 0) {
            closedUntil.put(roomId, clock.millis() + banSeconds * 1000);
        }
        return Mono.create(sink -> room.kick(null, Methods.LEFT_ROOM_CLOSED, sink::success));
    }

    /** Kicks every peer of {@code userId} ({@code Left{banned}}); rejoin blocked for {@code banSeconds}. */
    public Mono<Void> banClient(String roomId, String userId, long banSeconds) {
        return Mono.defer(() -> banClientNow(roomId, userId, banSeconds));
    }

    private Mono<Void> banClientNow(String roomId, String userId, long banSeconds) {
        Room room = existing(roomId);
        if (banSeconds > 0) {
            bannedUntil.put(roomId + '\0' + userId, clock.millis() + banSeconds * 1000);
        }
        return Mono.create(sink -> room.kick(userId, Methods.LEFT_BANNED, sink::success));
    }

    /** Sets the room user data; all peers get {@code RoomUpdated[UserDataChanged]}. */
    public Mono<Void> updateRoom(String roomId, byte[] userData) {
        if (userData.length > config.limits().maxUserDataBytes()) {
            return Mono.error(new ProtocolException(ErrorCode.TOO_LARGE,
                    "user_data exceeds max_user_data_bytes " + config.limits().maxUserDataBytes()));
        }
        return Mono.defer(() -> {
            Room room = existing(roomId);
            return Mono.create(sink -> room.setUserData(userData, sink::success));
        });
    }

    /** Sends a message (sender 0) to every peer of {@code userId} in the room. */
    public Mono<Void> sendMessage(String roomId, String userId, byte[] message) {
        if (message.length > config.limits().maxMessageBytes()) {
            return Mono.error(new ProtocolException(ErrorCode.TOO_LARGE,
                    "message exceeds max_message_bytes " + config.limits().maxMessageBytes()));
        }
        return Mono.defer(() -> {
            Room room = existing(roomId);
            return Mono.create(sink -> room.sendServerMessage(userId, message, sink::success));
        });
    }

    private Room existing(String roomId) {
        Room room = rooms.get(roomId);
        if (room == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_PEER, "no room " + roomId + " on this server");
        }
        return room;
    }
}
