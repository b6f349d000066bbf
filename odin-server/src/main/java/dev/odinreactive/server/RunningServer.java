package dev.odinreactive.server;

import dev.odinreactive.server.internal.ServerCore;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;

/**
 * A started {@link OdinServer}. {@link #dispose()} shuts it down: every joined peer gets
 * {@code Left{server_shutdown}}, every connection is closed, then the listener, event loops and
 * task threads are released; {@link #onDispose()} completes when all of that is done.
 */
public final class RunningServer implements Disposable {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);

    private final ServerCore core;
    private final DisposableServer server;
    private final InetSocketAddress address;
    private final String publicAddress;
    private final boolean tls;
    private final MeterRegistry registry;
    private final LoopResources loops;
    private final Scheduler tasks;
    private final AtomicBoolean disposed = new AtomicBoolean();
    private final Sinks.Empty<Void> terminated = Sinks.empty();

    RunningServer(ServerCore core, DisposableServer server, InetSocketAddress address, String publicAddress, boolean tls,
                  MeterRegistry registry, LoopResources loops, Scheduler tasks) {
        this.core = core;
        this.server = server;
        this.address = address;
        this.publicAddress = publicAddress;
        this.tls = tls;
        this.registry = registry;
        this.loops = loops;
        this.tasks = tasks;
    }

    /** The bound socket address (with the real port when the config asked for port 0). */
    public InetSocketAddress address() {
        return address;
    }

    /** {@code host:port} the gateway's {@code Connect} answers (config {@code public_address} or the bound address). */
    public String publicAddress() {
        return publicAddress;
    }

    /** The gateway URL, e.g. {@code http://127.0.0.1:4433/}. */
    public String gatewayUrl() {
        return (tls ? "https://" : "http://") + OdinServer.hostPort(address) + "/";
    }

    /** The control WebSocket URL, e.g. {@code ws://127.0.0.1:4433/v1/room}. */
    public String controlUrl() {
        return (tls ? "wss://" : "ws://") + OdinServer.hostPort(address) + "/v1/room";
    }

    /** The registry holding the {@code odin.server.*} meters. */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** Open control connections now. */
    public int connections() {
        return core.connectionCount();
    }

    /** Joined peers now. */
    public int peers() {
        return core.peerCount();
    }

    /** Open rooms now. */
    public int rooms() {
        return core.roomCount();
    }

    /** Starts the shutdown (non-blocking, idempotent). */
    @Override
    public void dispose() {
        if (!disposed.compareAndSet(false, true)) {
            return;
        }
        core.shutdown(DRAIN_TIMEOUT)
                .onErrorResume(e -> Mono.empty())
                .then(Mono.fromRunnable(server::dispose))
                .then(server.onDispose())
                .then(loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)))
                .then(Mono.defer(tasks::disposeGracefully)) // completes once its threads have ended
                .subscribe(null, e -> terminated.tryEmitEmpty(), terminated::tryEmitEmpty);
    }

    /** Shuts down and waits up to {@code timeout} for everything to be released. */
    public void disposeNow(Duration timeout) {
        dispose();
        onDispose().block(timeout);
    }

    @Override
    public boolean isDisposed() {
        return disposed.get();
    }

    /** Completes once the server is fully shut down. */
    public Mono<Void> onDispose() {
        return terminated.asMono();
    }

    @Override
    public String toString() {
        return "RunningServer[" + OdinServer.hostPort(address) + ", connections=" + connections() + ", rooms=" + rooms() + "]";
    }
}
