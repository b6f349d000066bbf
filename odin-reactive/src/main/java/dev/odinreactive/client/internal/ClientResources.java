package dev.odinreactive.client.internal;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one {@code OdinClient} owns: event-loop threads ({@code odin-client-N-*}), a connection
 * pool for gateway calls, the event delivery scheduler ({@code odin-client-N-events-*}) and the
 * live rooms. {@link #disposeLater()} closes the rooms and then releases all of it.
 */
public final class ClientResources {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ClientOptions options;
    private final String name;
    private final LoopResources loops;
    private final ConnectionProvider provider;
    private final HttpClient http;
    private final HttpClient https;
    private final Scheduler eventScheduler;
    private final Set<DefaultRoom> rooms = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean disposed = new AtomicBoolean();
    private final Mono<Void> disposeLater;

    public ClientResources(ClientOptions options) {
        this.options = options;
        this.name = "odin-client-" + INSTANCES.incrementAndGet();
        this.loops = LoopResources.create(name, 1, options.eventLoopThreads(), true, false);
        this.provider = ConnectionProvider.builder(name).maxConnections(64)
                .maxIdleTime(Duration.ofSeconds(20)).build();
        this.http = HttpClient.create(provider).runOn(loops);
        // https/wss: Reactor Netty's default TLS (JDK trust store) unless the builder set a context
        this.https = options.sslContext() == null ? http : http.secure(spec -> spec.sslContext(options.sslContext()));
        this.eventScheduler = Schedulers.newBoundedElastic(Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE,
                Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE, name + "-events", 10, true);
        this.disposeLater = Mono.defer(() -> {
                    disposed.set(true);
                    return Flux.fromIterable(List.copyOf(rooms)).flatMap(DefaultRoom::close).then();
                })
                .then(Mono.defer(provider::disposeLater))
                .then(Mono.defer(() -> loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2))))
                .then(Mono.defer(eventScheduler::disposeGracefully)) // completes once its threads have ended
                .cache();
    }

    public ClientOptions options() {
        return options;
    }

    /** The client for {@code uri}: with the configured TLS trust for https/wss, plain otherwise. */
    public HttpClient http(URI uri) {
        String scheme = uri.getScheme();
        return "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? https : http;
    }

    public Scheduler eventScheduler() {
        return eventScheduler;
    }

    /** Thread-name prefix of everything this client starts. */
    public String name() {
        return name;
    }

    public boolean isDisposed() {
        return disposed.get();
    }

    void register(DefaultRoom room) {
        rooms.add(room);
        if (disposed.get()) {
            room.close().subscribe();
        }
    }

    void unregister(DefaultRoom room) {
        rooms.remove(room);
    }

    /** Closes all rooms (politely, bounded by the request timeout), then releases threads and sockets. */
    public Mono<Void> disposeLater() {
        return disposeLater;
    }
}
