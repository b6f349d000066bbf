package dev.odinreactive.client.internal.media;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.apm.Apm;
import dev.odinreactive.audio.apm.ApmConfig;
import dev.odinreactive.audio.apm.ApmFrame;
import dev.odinreactive.audio.jitter.JitterBuffer;
import dev.odinreactive.audio.jitter.JitterConfig;
import dev.odinreactive.audio.mix.Mixer;
import dev.odinreactive.audio.resample.Resampler;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.OdinException.Reason;
import dev.odinreactive.client.OdinException.Step;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.client.internal.ControlConnection;
import dev.odinreactive.protocol.MediaSetup;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.media.MediaPacket;
import dev.odinreactive.protocol.media.MediaTransport;
import dev.odinreactive.protocol.media.MediaTransportStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The media side of one room: the media transport of the current control connection, the remote
 * medias (each an odin-audio {@link JitterBuffer} with its own 20 ms clock), the local medias,
 * room-level APM, the mix (odin-audio {@link Mixer}) and the echo canceller's reverse stream. Per
 * room, one audio thread ({@code <client>-dsp-<room>}) runs the local pipelines (APM, Opus
 * encoding) and one ({@code ...-playout}) the clocks (jitter buffers, decoding, mixers), so a busy
 * encoder never delays playout; the network threads only hand packets over.
 *
 * <p>Lifecycle: {@link #connected} after every (re)join, {@link #disconnected} when that
 * connection is lost, {@link #dispose} when the room ends.
 */
public final class MediaSession implements Disposable {

    private static final Logger log = LoggerFactory.getLogger(MediaSession.class);
    /**
     * Jitter buffer settings of every remote media: ODIN's defaults (start at 40 ms, shrink to 20 ms
     * on a clean path, at most 200 ms); see docs/client.md.
     */
    static final JitterConfig JITTER = JitterConfig.defaults();

    /** What the session needs from its room. */
    public interface Host {
        /** Under the room's lock: decides on an event (null for none) and emits it in order. */
        void emit(java.util.function.Supplier<RoomEvent> decide);

        /** Emits a room event in order with the room's other events (takes the room's lock). */
        default void emit(RoomEvent event) {
            emit(() -> event);
        }

        /** Own peer id now. */
        long ownPeerId();
    }

    private final class Conn {
        final ControlConnection control;
        final List<Integer> pool;
        final Sinks.One<MediaTransport> ready = Sinks.one();
        volatile MediaTransport transport;
        volatile Disposable setup;
        Disposable receiving;

        Conn(ControlConnection control, List<Integer> pool) {
            this.control = control;
            this.pool = List.copyOf(pool);
        }
    }

    private final Host host;
    private final AudioFormat output;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final Scheduler dsp;
    private final Scheduler playout;
    private final Map<Integer, DefaultRemoteMedia> remotes = new ConcurrentHashMap<>();
    /** Removed remote medias still playing out what was buffered or in flight (see {@link #removeRemote}). */
    private final Map<Integer, DefaultRemoteMedia> draining = new ConcurrentHashMap<>();
    private final Map<DefaultLocalMedia, Integer> locals = new ConcurrentHashMap<>();
    private final Sinks.Many<ApmConfig> apmConfigs = Sinks.many().replay().latest();
    private final Sinks.Many<Duration> streamDelays = Sinks.many().replay().latest();
    private final Sinks.Many<float[]> reverse = Sinks.many().multicast().directBestEffort();
    /** Remote medias as they are added (for mixes of all medias). */
    private final Sinks.Many<DefaultRemoteMedia> added = Sinks.many().multicast().directBestEffort();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private volatile boolean apmConfigured;
    private volatile boolean echoCanceller;
    private volatile Disposable appReverse;
    private Disposable mixReverse; // guarded by this
    private volatile Conn current;
    private volatile MediaTransportStats lastStats;
    private volatile boolean disposed;

    public MediaSession(Host host, AudioFormat output, Duration requestTimeout, Duration connectTimeout, String threadName) {
        this.host = host;
        this.output = output;
        this.requestTimeout = requestTimeout;
        this.connectTimeout = connectTimeout;
        this.dsp = Schedulers.newSingle(threadName, true);
        this.playout = Schedulers.newSingle(threadName + "-playout", true);
    }

    Scheduler dsp() {
        return dsp;
    }

    // ------------------------------------------------------------ connection lifecycle

    /** A (re)joined control connection: set up its media transport, restart the local medias. */
    public void connected(ControlConnection control, List<Integer> mediaIds) {
        Conn conn = new Conn(control, mediaIds);
        List<DefaultLocalMedia> restart = List.copyOf(locals.keySet()); // from the previous connection
        restart.forEach(m -> locals.put(m, 0));
        current = conn;
        InetSocketAddress server = control.remoteAddress();
        conn.setup = control.request(Methods.SETUP_MEDIA, Map.of(), requestTimeout, Step.REQUEST)
                .map(r -> MediaSetup.fromWire(asMap(r)))
                .flatMap(setup -> MediaTransport.builder(new InetSocketAddress(server.getAddress(), setup.udpPort()), setup.keys())
                        .tunnel(new ControlTunnel(control))
                        .connect()
                        .timeout(connectTimeout))
                .subscribe(t -> {
                    if (current != conn || disposed) {
                        t.dispose();
                        return;
                    }
                    conn.transport = t;
                    conn.receiving = t.receive().subscribe(p -> onPacket(t, p));
                    conn.ready.tryEmitValue(t);
                    for (DefaultLocalMedia m : restart) {
                        startOn(conn, m).subscribe(null, e -> log.debug("media: restarting {} failed: {}", m, e.toString()));
                    }
                }, e -> {
                    log.warn("media: no media transport for this connection: {}", e.toString());
                    conn.ready.tryEmitError(new OdinException(Reason.CONNECTION_FAILED, null, Step.REQUEST,
                            "media setup failed: " + e.getMessage(), e));
                });
    }

    /** The connection is gone (room lock held): remote medias end, local medias pause. */
    public void disconnected() {
        Conn conn = current;
        current = null;
        for (DefaultLocalMedia m : locals.keySet()) {
            m.unbind();
        }
        for (DefaultRemoteMedia r : List.copyOf(remotes.values())) {
            for (RoomEvent e : removeRemote(r.id(), false)) {
                host.emit(e);
            }
        }
        if (conn != null) {
            release(conn);
        }
    }

    private void release(Conn conn) {
        Disposable setup = conn.setup;
        if (setup != null) {
            setup.dispose(); // a transport still connecting closes its socket
        }
        MediaTransport t = conn.transport;
        if (t != null) {
            lastStats = t.stats();
            if (conn.receiving != null) {
                conn.receiving.dispose();
            }
            t.dispose();
        }
        conn.ready.tryEmitError(new OdinException(Reason.CONNECTION_LOST, "connection lost before media was ready"));
    }

    // ------------------------------------------------------------ events from the control plane

    /**
     * Room lock held: turns a reducer event into the media-aware events (MediaAdded gets its
     * handle; PeerLeft first removes the peer's medias).
     */
    public List<RoomEvent> decorate(RoomEvent e) {
        if (e instanceof RoomEvent.MediaAdded a) {
            if (remotes.containsKey(a.mediaId())) {
                return List.of();
            }
            DefaultRemoteMedia r = new DefaultRemoteMedia(this, a.peerId(), a.mediaId(), output, JITTER, playout);
            remotes.put(a.mediaId(), r);
            r.start();
            added.tryEmitNext(r); // room lock held: serialized
            return List.of(new RoomEvent.MediaAdded(a.peerId(), a.mediaId(), r));
        }
        if (e instanceof RoomEvent.MediaRemoved m) {
            return removeRemote(m.mediaId(), true);
        }
        if (e instanceof RoomEvent.PeerLeft l) {
            List<RoomEvent> out = new ArrayList<>();
            for (DefaultRemoteMedia r : List.copyOf(remotes.values())) {
                if (r.peerId() == l.peerId()) {
                    out.addAll(removeRemote(r.id(), true));
                }
            }
            out.add(e);
            return out;
        }
        return List.of(e);
    }

    /**
     * Room lock held (or disposing): removes a remote media and returns its closing events: an
     * {@code active=false} if it was active, then {@code MediaRemoved}; no event of that media
     * follows. The control plane (TCP) overtakes the last datagrams and the jitter buffer's delay,
     * so with {@code drain} the media keeps receiving packets and playing them into
     * {@link RemoteMedia#frames()} until its end-of-talk plays out (bounded), then completes.
     */
    private List<RoomEvent> removeRemote(int mediaId, boolean drain) {
        DefaultRemoteMedia r = remotes.remove(mediaId);
        if (r == null) {
            return List.of();
        }
        List<RoomEvent> out = new ArrayList<>(2);
        if (r.markRemoved()) {
            out.add(new RoomEvent.MediaActiveStateChanged(r.peerId(), r.id(), false));
        }
        out.add(new RoomEvent.MediaRemoved(r.peerId(), r.id()));
        if (drain && !disposed) {
            DefaultRemoteMedia previous = draining.put(mediaId, r);
            if (previous != null) {
                playout.schedule(previous::complete);
            }
            r.done().subscribe(null, null, () -> draining.remove(mediaId, r));
            r.drain();
        } else {
            playout.schedule(r::complete);
        }
        return out;
    }

    /** The current remote medias by id. */
    public Map<Integer, RemoteMedia> remoteMedias() {
        return Map.copyOf(remotes);
    }

    private void onPacket(MediaTransport t, MediaPacket p) {
        DefaultRemoteMedia r = remotes.get(p.mediaId());
        if (r == null) {
            r = draining.get(p.mediaId());
        }
        if (r == null) {
            t.countUnknownMedia(); // a drop like the transport's own: Room.mediaStats().drops()
            return;
        }
        r.offer(p);
    }

    /** Audio thread: the remote stream started or ended; no event once the media was removed. */
    void remoteActive(DefaultRemoteMedia r, boolean active) {
        host.emit(() -> r.switchActive(active) ? new RoomEvent.MediaActiveStateChanged(r.peerId(), r.id(), active) : null);
    }

    void localActive(int mediaId, boolean active) {
        host.emit(new RoomEvent.MediaActiveStateChanged(host.ownPeerId(), mediaId, active));
    }

    // ------------------------------------------------------------ local medias

    /** {@code Room.addMedia}: claims a media id, announces it, starts the pipeline. */
    public Mono<Void> add(LocalMedia media) {
        if (!(media instanceof DefaultLocalMedia m)) {
            return Mono.error(new OdinException(Reason.INVALID_ARGUMENT, "use LocalMedia.create to make local medias"));
        }
        return Mono.defer(() -> {
            if (disposed) {
                return Mono.error(new OdinException(Reason.CLOSED, "the room is closed"));
            }
            if (!m.claim()) {
                return Mono.error(new OdinException(Reason.INVALID_ARGUMENT, "this LocalMedia was already added or closed"));
            }
            Conn conn = current;
            if (conn == null) {
                return Mono.error(new OdinException(Reason.NOT_CONNECTED, "the room is reconnecting"));
            }
            locals.put(m, 0);
            m.start(this, apmStage());
            return startOn(conn, m).doOnError(e -> {
                locals.remove(m);
                m.stop();
            });
        });
    }

    private Mono<Void> startOn(Conn conn, DefaultLocalMedia m) {
        return conn.ready.asMono().timeout(connectTimeout).flatMap(transport -> {
            int id = freeId(conn);
            if (id < 0) {
                return Mono.error(new OdinException(Reason.INVALID_ARGUMENT, "all " + conn.pool.size()
                        + " media ids of this peer are in use"));
            }
            locals.put(m, id);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("media_id", (long) id);
            params.put("properties", m.properties());
            return conn.control.request(Methods.START_MEDIA, params, requestTimeout, Step.REQUEST)
                    .then(Mono.fromRunnable(() -> {
                        if (current == conn && !m.isRemoved()) {
                            m.bind(transport, id);
                            if (m.isActive()) {
                                localActive(id, true);
                            }
                        }
                    }))
                    .doOnError(e -> locals.replace(m, id, 0))
                    .then();
        });
    }

    private int freeId(Conn conn) {
        Set<Integer> used = new HashSet<>(locals.values());
        for (int id : conn.pool) {
            if (!used.contains(id)) {
                return id;
            }
        }
        return -1;
    }

    /** Stops a local media and tells the server; never fails. */
    Mono<Void> remove(DefaultLocalMedia m) {
        return Mono.defer(() -> {
            Integer id = locals.remove(m);
            m.stop();
            m.markRemoved();
            m.unbind();
            Conn conn = current;
            if (id == null || id == 0 || conn == null) {
                return Mono.empty();
            }
            return conn.control.request(Methods.STOP_MEDIA, Map.of("media_id", (long) id), requestTimeout, Step.REQUEST)
                    .onErrorResume(e -> Mono.empty())
                    .then();
        });
    }

    /** A request on the current connection (remote media pause/resume). */
    Mono<Void> request(String method, Map<String, Object> params) {
        return Mono.defer(() -> {
            Conn conn = current;
            if (conn == null) {
                return Mono.error(new OdinException(Reason.NOT_CONNECTED, "the room is reconnecting"));
            }
            return conn.control.request(method, params, requestTimeout, Step.REQUEST).then();
        });
    }

    // ------------------------------------------------------------ APM, reverse stream, mix

    /**
     * The APM stage of every local media: pass-through (lowest latency) until the room's first
     * configuration, then the APM chain following the room's configurations, reverse stream and
     * stream delay; the switch happens between two frames, also for medias already running.
     */
    private Function<Flux<float[]>, Flux<ApmFrame>> apmStage() {
        return ApmSwitch.switching(DefaultLocalMedia::passThrough, () -> apmConfigured,
                () -> Apm.chain(apmConfigs.asFlux(), reverse.asFlux(), streamDelays.asFlux()));
    }

    public synchronized void configureApm(ApmConfig config) {
        apmConfigs.tryEmitNext(config);
        echoCanceller = config.echoCanceller();
        apmConfigured = true;
        updateMixReverse();
    }

    public synchronized void setStreamDelay(Duration delay) {
        streamDelays.tryEmitNext(delay);
    }

    /**
     * While the echo canceller is on, the room's mix of all remote medias (what a player of
     * {@code room.mix()} plays) feeds its reverse stream unless the app supplies its own.
     */
    private synchronized void updateMixReverse() {
        boolean want = echoCanceller && !disposed;
        if (want && mixReverse == null) {
            mixReverse = mix48(null).subscribe(f -> {
                if (appReverse == null) {
                    reverse.tryEmitNext(f);
                }
            });
        } else if (!want && mixReverse != null) {
            mixReverse.dispose();
            mixReverse = null;
        }
    }

    /** The app plays audio itself: its playback (at the output format) feeds the echo canceller. */
    public Disposable processReverse(Flux<float[]> playback) {
        Resampler resampler = output.sampleRate() == 48_000 ? null : new Resampler(output.sampleRate(), 48_000, 1);
        Disposable d = playback.subscribe(f -> reverse.tryEmitNext(OutputConverter.toMono48k(f, output, resampler)));
        Disposable previous = appReverse;
        appReverse = d;
        if (previous != null) {
            previous.dispose();
        }
        return () -> {
            d.dispose();
            if (appReverse == d) {
                appReverse = null;
            }
        };
    }

    /** Mix of the chosen medias (all current and future ones when {@code chosen} is null) at the output format. */
    public Flux<float[]> mix(Collection<RemoteMedia> chosen) {
        return Flux.defer(() -> {
            OutputConverter converter = new OutputConverter(output);
            return mix48(chosen).map(converter::convert);
        });
    }

    /**
     * One {@link Mixer} per subscription on the playout thread: one 48 kHz mono frame per 20 ms
     * whatever the inputs do; medias join when added (for {@code chosen == null}) and leave when
     * their frames complete. Completes when the room closes.
     */
    private Flux<float[]> mix48(Collection<RemoteMedia> chosen) {
        return Flux.defer(() -> {
            Mixer mixer = Mixer.create(AudioFormat.OPUS_MONO, playout);
            Disposable joins;
            if (chosen == null) {
                // a media added while this subscribes may come both ways: join it once; forget it
                // when it ends (a room's mix may run for hours while medias come and go)
                Set<DefaultRemoteMedia> joined = ConcurrentHashMap.newKeySet();
                Consumer<DefaultRemoteMedia> join = r -> {
                    if (joined.add(r)) {
                        mixer.add(r.raw().doFinally(s -> joined.remove(r)));
                    }
                };
                joins = added.asFlux().subscribe(join);
                remotes.values().forEach(join);
            } else {
                for (RemoteMedia m : chosen) {
                    if (m instanceof DefaultRemoteMedia r) {
                        mixer.add(r.raw());
                    }
                }
                joins = Disposables.disposed();
            }
            return mixer.output().takeUntilOther(closed.asMono()).doFinally(sig -> {
                joins.dispose();
                mixer.dispose();
            });
        });
    }

    // ------------------------------------------------------------ stats, lifecycle

    /** The media transport's counters (of the current connection, else the last one); null before any. */
    public MediaTransportStats transportStats() {
        Conn conn = current;
        MediaTransport t = conn == null ? null : conn.transport;
        return t != null ? t.stats() : lastStats;
    }

    @Override
    public void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        for (DefaultLocalMedia m : locals.keySet()) {
            m.stop();
            m.unbind();
        }
        locals.clear();
        Conn conn = current;
        current = null;
        if (conn != null) {
            release(conn);
        }
        for (DefaultRemoteMedia r : List.copyOf(remotes.values())) {
            removeRemote(r.id(), false);
        }
        for (DefaultRemoteMedia r : List.copyOf(draining.values())) {
            if (draining.remove(r.id(), r)) {
                playout.schedule(r::complete);
            }
        }
        synchronized (this) {
            if (mixReverse != null) {
                mixReverse.dispose();
                mixReverse = null;
            }
        }
        closed.tryEmitEmpty();
        added.tryEmitComplete();
        Disposable a = appReverse;
        if (a != null) {
            a.dispose();
        }
        dsp.schedule(dsp::dispose);
        playout.schedule(playout::dispose);
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object r) {
        if (!(r instanceof Map)) {
            throw new dev.odinreactive.protocol.ProtocolException(dev.odinreactive.protocol.ErrorCode.INVALID_PARAMS,
                    "SetupMedia result must be a map");
        }
        return (Map<String, Object>) r;
    }
}
