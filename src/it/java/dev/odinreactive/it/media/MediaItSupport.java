package dev.odinreactive.it.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.server.OdinServer;
import dev.odinreactive.server.RunningServer;
import dev.odinreactive.server.ServerConfig;
import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.TokenGenerator;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** Embedded server on loopback, a trusted key, clients, and listeners that record what peers hear. */
abstract class MediaItSupport {

    static final Duration WAIT = Duration.ofSeconds(10);
    /** Bound for audio to play out: real time, but a loaded CI machine may run the encoders slower. */
    static final Duration AUDIO_WAIT = Duration.ofSeconds(60);
    /** Bound for a join: the first one in a JVM warms up TLS-free HTTP, WebSocket and Ed25519 code, slow on a loaded machine. */
    static final Duration JOIN_WAIT = Duration.ofSeconds(30);

    /**
     * A 1-minute load average below this (half the cores) counts as an idle machine: there a sender
     * keeps real time, so a check that needs it must run, not be skipped.
     */
    static final double IDLE_LOAD = Runtime.getRuntime().availableProcessors() / 2.0;

    final AccessKey key = AccessKey.generate();
    final TokenGenerator tokens = TokenGenerator.create(key);
    final List<Disposable> toDispose = new ArrayList<>();
    final List<OdinClient> clients = new ArrayList<>();
    final List<AutoCloseable> toClose = new ArrayList<>();
    RunningServer server;

    /** Releases everything in order; a step that fails does not keep the later ones from running. */
    @AfterEach
    void releaseEverything() throws Exception {
        List<AutoCloseable> steps = new ArrayList<>();
        toDispose.forEach(d -> steps.add(d::dispose));
        clients.forEach(c -> steps.add(() -> c.disposeLater().block(WAIT)));
        if (server != null) {
            RunningServer s = server;
            steps.add(() -> s.disposeNow(WAIT));
        }
        steps.addAll(toClose);
        Exception failed = null;
        for (AutoCloseable step : steps) {
            try {
                step.close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Starts a server that clients reach only through a {@link BlockingProxy} (TCP and UDP): the
     * gateway answers the proxy's address and {@code SetupMedia} its port. Direct connections
     * (audience {@code sfu} tokens on {@link RunningServer#gatewayUrl()}) still use the proxy for UDP.
     */
    BlockingProxy startServerBehindProxy() throws Exception {
        startServer(ServerConfig.defaults()); // to learn a free port
        int serverPort = server.address().getPort();
        server.disposeNow(WAIT);
        BlockingProxy proxy = new BlockingProxy(serverPort);
        toClose.add(proxy);
        startServer(ServerConfig.defaults()
                .withHttp(ServerConfig.Http.defaults().withBinding("127.0.0.1", serverPort))
                .withPublicAddress("127.0.0.1:" + proxy.port()));
        return proxy;
    }

    RunningServer startServer() {
        return startServer(ServerConfig.defaults());
    }

    RunningServer startServer(ServerConfig config) {
        server = OdinServer.builder().config(config).trust(key).start().block(WAIT);
        return server;
    }

    OdinClient client() {
        return client(OdinClient.builder().joinTimeout(JOIN_WAIT));
    }

    OdinClient client(OdinClient.Builder builder) {
        OdinClient c = builder.build();
        clients.add(c);
        return c;
    }

    Room join(OdinClient client, String room, String user) {
        return join(client, server.gatewayUrl(), room, user);
    }

    Room join(OdinClient client, String gateway, String room, String user) {
        return client.room().join(gateway, tokens.createToken(room, user).block(WAIT)).block(JOIN_WAIT);
    }

    /**
     * Waits until a condition on counters (which emit no event) holds, polling it every 20 ms;
     * fails after {@link #AUDIO_WAIT}.
     */
    static void until(BooleanSupplier condition) {
        try {
            Flux.interval(Duration.ofMillis(20)).filter(t -> condition.getAsBoolean()).next().block(AUDIO_WAIT);
        } catch (IllegalStateException timeout) {
            throw new AssertionError("condition not reached within " + AUDIO_WAIT, timeout);
        }
    }

    /**
     * Reports a check not made because the sender fell behind real time ({@code why}), and fails
     * if the machine is idle (see {@link #IDLE_LOAD}), where that must not happen: the check would
     * otherwise never be exercised unnoticed.
     */
    static void skippedUnderLoad(String test, String check, String why) {
        String report = notAsserted(test, check, why);
        assertThat(load()).as("%s; skipped on an idle machine (load < %.1f)", report, IDLE_LOAD).isGreaterThanOrEqualTo(IDLE_LOAD);
    }

    /** Reports (stdout) a check not made because of {@code why}; returns the report. */
    static String notAsserted(String test, String check, String why) {
        String report = String.format(Locale.ROOT, "%s: %s NOT asserted: %s (load %.1f)", test, check, why, load());
        System.out.println(report);
        return report;
    }

    /** The system's 1-minute load average. */
    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    Listener listen(Room room) {
        Listener l = new Listener(room);
        toDispose.add(l);
        return l;
    }

    /** Records the events of a room and the frames of every remote media it receives. */
    static final class Listener implements Disposable {
        final List<RoomEvent> events = new CopyOnWriteArrayList<>();
        final Map<Integer, List<float[]>> frames = new ConcurrentHashMap<>();
        final Map<Integer, RemoteMedia> medias = new ConcurrentHashMap<>();
        final Map<Integer, CountDownLatch> framesCompleted = new ConcurrentHashMap<>();
        private final List<Disposable> subs = new CopyOnWriteArrayList<>();
        private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

        private record Waiter(Predicate<RoomEvent> condition, CountDownLatch latch) {
        }

        Listener(Room room) {
            subs.add(room.events().subscribe(e -> {
                if (e instanceof RoomEvent.MediaAdded a) {
                    List<float[]> list = Collections.synchronizedList(new ArrayList<>());
                    frames.put(a.mediaId(), list);
                    medias.put(a.mediaId(), a.media());
                    CountDownLatch completed = new CountDownLatch(1);
                    framesCompleted.put(a.mediaId(), completed);
                    subs.add(a.media().frames().subscribe(list::add, err -> completed.countDown(), completed::countDown));
                }
                events.add(e);
                for (Waiter w : waiters) {
                    if (w.condition.test(e)) {
                        w.latch.countDown();
                    }
                }
            }));
        }

        /** Waits for an event (already seen or future) matching the condition. */
        @SuppressWarnings("unchecked")
        <T extends RoomEvent> T await(Class<T> type, Predicate<T> condition) throws InterruptedException {
            return await(type, condition, WAIT);
        }

        /** Waits up to {@code timeout} (audio runs in real time, slower on a loaded machine). */
        @SuppressWarnings("unchecked")
        <T extends RoomEvent> T await(Class<T> type, Predicate<T> condition, Duration timeout) throws InterruptedException {
            Predicate<RoomEvent> p = e -> type.isInstance(e) && condition.test((T) e);
            CountDownLatch latch = new CountDownLatch(1);
            waiters.add(new Waiter(p, latch));
            for (RoomEvent e : events) {
                if (p.test(e)) {
                    return (T) e;
                }
            }
            if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no " + type.getSimpleName() + " matching within " + timeout + "; events: " + events);
            }
            for (RoomEvent e : events) {
                if (p.test(e)) {
                    return (T) e;
                }
            }
            throw new AssertionError("unreachable");
        }

        /** Waits for a matching event at index {@code from} or later. */
        @SuppressWarnings("unchecked")
        <T extends RoomEvent> T awaitAfter(int from, Class<T> type, Predicate<T> condition) throws InterruptedException {
            long deadline = System.nanoTime() + AUDIO_WAIT.toNanos();
            int seen = from;
            while (true) {
                CountDownLatch latch = new CountDownLatch(1);
                Waiter w = new Waiter(e -> true, latch);
                waiters.add(w);
                try {
                    for (int i = seen; i < events.size(); i++) {
                        RoomEvent e = events.get(i);
                        if (type.isInstance(e) && condition.test((T) e)) {
                            return (T) e;
                        }
                        seen = i + 1;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !latch.await(left, TimeUnit.NANOSECONDS)) {
                        throw new AssertionError("no " + type.getSimpleName() + " after event " + from + "; events: " + events);
                    }
                } finally {
                    waiters.remove(w);
                }
            }
        }

        /**
         * Waits until the frames of a removed media complete: it played out what was buffered or
         * still in flight when MediaRemoved overtook the last datagrams (its stats are final then).
         */
        void awaitFramesComplete(int mediaId) throws InterruptedException {
            CountDownLatch l = framesCompleted.get(mediaId);
            if (l == null) {
                throw new AssertionError("no MediaAdded for media " + mediaId + "; events: " + events);
            }
            if (!l.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("frames of media " + mediaId + " did not complete within " + WAIT + "; events: " + events);
            }
        }

        /** A copy of the frames of one media so far. */
        List<float[]> frames(int mediaId) {
            List<float[]> l = frames.get(mediaId);
            if (l == null) {
                return List.of();
            }
            synchronized (l) {
                return new ArrayList<>(l);
            }
        }

        void clear(int mediaId) {
            List<float[]> l = frames.get(mediaId);
            if (l != null) {
                l.clear();
            }
        }

        @Override
        public void dispose() {
            subs.forEach(Disposable::dispose);
        }
    }
}
