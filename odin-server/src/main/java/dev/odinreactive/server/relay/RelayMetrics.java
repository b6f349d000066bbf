package dev.odinreactive.server.relay;

import dev.odinreactive.protocol.media.MediaDropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;

/**
 * Micrometer view of a {@link MediaRelay}'s counters (read when the registry is scraped; nothing
 * is added to the packet path): {@code odin.relay.datagrams} and {@code odin.relay.bytes}
 * (tag {@code direction} = in/out), {@code odin.relay.forwarded}, {@code odin.relay.aead}
 * (tag {@code op} = open/seal), {@code odin.relay.drops} (tag {@code reason}, one per
 * {@link MediaDropReason}) and the gauge {@code odin.relay.sessions}.
 */
public final class RelayMetrics implements MeterBinder {

    private final MediaRelay relay;

    public RelayMetrics(MediaRelay relay) {
        this.relay = Objects.requireNonNull(relay, "relay");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        RelayEngine e = relay.engine();
        FunctionCounter.builder("odin.relay.datagrams", e, x -> x.datagramsIn).tag("direction", "in")
                .description("media-plane datagrams received (UDP and tunnel)").register(registry);
        FunctionCounter.builder("odin.relay.datagrams", e, x -> x.datagramsOut).tag("direction", "out")
                .description("media-plane datagrams sent (UDP and tunnel)").register(registry);
        FunctionCounter.builder("odin.relay.bytes", e, x -> x.bytesIn).tag("direction", "in")
                .baseUnit("bytes").register(registry);
        FunctionCounter.builder("odin.relay.bytes", e, x -> x.bytesOut).tag("direction", "out")
                .baseUnit("bytes").register(registry);
        FunctionCounter.builder("odin.relay.forwarded", e, x -> x.forwarded)
                .description("media packets forwarded (one per receiver)").register(registry);
        FunctionCounter.builder("odin.relay.aead", e, x -> x.opens).tag("op", "open")
                .description("AES-GCM operations").register(registry);
        FunctionCounter.builder("odin.relay.aead", e, x -> x.seals).tag("op", "seal")
                .description("AES-GCM operations").register(registry);
        for (MediaDropReason reason : MediaDropReason.values()) {
            FunctionCounter.builder("odin.relay.drops", e, x -> x.drops.get(reason))
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .description("datagrams dropped, by reason").register(registry);
        }
        Gauge.builder("odin.relay.sessions", relay, r -> r.stats().sessions())
                .description("open media sessions").register(registry);
    }
}
