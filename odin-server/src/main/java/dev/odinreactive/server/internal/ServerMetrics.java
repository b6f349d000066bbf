package dev.odinreactive.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The server's Micrometer meters (names start with {@code odin.server.}; Prometheus shows them as
 * {@code odin_server_…}): gauges {@code rooms}, {@code peers}, {@code connections}; counters
 * {@code messages} (peer and server messages delivered per recipient), {@code joins},
 * {@code rejects} (tag {@code code}: every error answered to a client), {@code frames.in},
 * {@code frames.out}, {@code slow.consumers} (connections closed because their outbound queue
 * overflowed), {@code idle.timeouts}; timer {@code join.latency} (JoinRoom received → answered).
 */
public final class ServerMetrics {

    private final MeterRegistry registry;
    final Counter messages;
    final Counter joins;
    final Counter framesIn;
    final Counter framesOut;
    final Counter slowConsumers;
    final Counter idleTimeouts;
    final Timer joinLatency;
    private final ConcurrentMap<String, Counter> rejects = new ConcurrentHashMap<>();

    ServerMetrics(MeterRegistry registry, Supplier<Number> rooms, AtomicInteger peers, AtomicInteger connections) {
        this.registry = registry;
        Gauge.builder("odin.server.rooms", rooms).description("rooms open").register(registry);
        Gauge.builder("odin.server.peers", peers, AtomicInteger::get).description("peers joined").register(registry);
        Gauge.builder("odin.server.connections", connections, AtomicInteger::get)
                .description("control WebSocket connections").register(registry);
        messages = Counter.builder("odin.server.messages").description("messages delivered (per recipient)").register(registry);
        joins = Counter.builder("odin.server.joins").description("successful JoinRoom").register(registry);
        framesIn = Counter.builder("odin.server.frames.in").description("control frames received").register(registry);
        framesOut = Counter.builder("odin.server.frames.out").description("control frames queued for sending").register(registry);
        slowConsumers = Counter.builder("odin.server.slow.consumers")
                .description("connections closed because their outbound queue overflowed").register(registry);
        idleTimeouts = Counter.builder("odin.server.idle.timeouts").description("connections closed for silence").register(registry);
        joinLatency = Timer.builder("odin.server.join.latency").description("JoinRoom received to answered")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** Counts one error answered to a client. */
    void reject(String code) {
        rejects.computeIfAbsent(code, c -> Counter.builder("odin.server.rejects").tag("code", c)
                .description("errors answered to clients").register(registry)).increment();
    }

    /** Total rejects with {@code code} so far (for tests and the load harness). */
    public double rejects(String code) {
        Counter c = rejects.get(code);
        return c == null ? 0 : c.count();
    }

    public double slowConsumerCloses() {
        return slowConsumers.count();
    }

    public double messagesDelivered() {
        return messages.count();
    }

    public Timer joinLatency() {
        return joinLatency;
    }
}
