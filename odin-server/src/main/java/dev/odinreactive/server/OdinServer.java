package dev.odinreactive.server;

import dev.odinreactive.server.internal.GatewayHandler;
import dev.odinreactive.server.internal.ServerCore;
import dev.odinreactive.server.relay.MediaRelay;
import dev.odinreactive.server.relay.RelayLimits;
import dev.odinreactive.server.relay.RelayMetrics;
import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.Audience;
import dev.odinreactive.token.TokenVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.resources.LoopResources;

/**
 * The self-hosted room server: one TCP port (Reactor Netty) serving the gateway
 * ({@code POST /} JSON-RPC), the control WebSocket ({@code GET /v1/room}) and optionally
 * Prometheus metrics ({@code GET /metrics}), plus the media relay on UDP with the same port
 * number; docs/protocol.md describes the wire.
 *
 * <pre>{@code
 * RunningServer server = OdinServer.builder()
 *         .config(ServerConfig.load(Path.of("server.toml")))
 *         .trust(accessKey)                 // tokens signed with this key may join
 *         .start()
 *         .block();
 * ...
 * server.disposeNow(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>{@link Builder#start()} is cold: each subscription binds a new server with its own event
 * loops ({@code odin-server-*} threads), released by {@link RunningServer#dispose()}.
 */
public final class OdinServer {

    private static final Logger log = LoggerFactory.getLogger(OdinServer.class);

    private OdinServer() {
    }

    /** A builder with {@link ServerConfig#defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures and starts a server; not thread-safe, reusable. */
    public static final class Builder {
        private ServerConfig config = ServerConfig.defaults();
        private final List<AccessKey> trusted = new ArrayList<>();
        private MeterRegistry meterRegistry;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The configuration (default {@link ServerConfig#defaults()}). */
        public Builder config(ServerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Also trusts tokens signed with these access keys (only their public part is kept). */
        public Builder trust(AccessKey... keys) {
            trusted.addAll(List.of(keys));
            return this;
        }

        /**
         * Where meters are registered. Default: a Prometheus registry when metrics are enabled in
         * the config (served at {@code GET /metrics}), else a simple in-memory registry. A given
         * {@link PrometheusMeterRegistry} is served at {@code /metrics} when metrics are enabled.
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /** The clock for tokens, bans and room closures (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Binds the server. Emits the {@link RunningServer} once listening, or signals the bind
         * error (e.g. port in use, unreadable TLS files, a bad JWK in the config).
         */
        public Mono<RunningServer> start() {
            ServerConfig cfg = config;
            List<AccessKey> keys = List.copyOf(trusted);
            MeterRegistry given = meterRegistry;
            Clock clk = clock;
            return Mono.defer(() -> bind(cfg, keys, given, clk));
        }
    }

    private static Mono<RunningServer> bind(ServerConfig cfg, List<AccessKey> keys, MeterRegistry given, Clock clock) {
        TokenVerifier roomVerifier = verifier(cfg, keys, clock, Audience.NONE, Audience.SFU);
        TokenVerifier gatewayVerifier = verifier(cfg, keys, clock, Audience.NONE, Audience.GATEWAY, Audience.SFU);
        MeterRegistry registry = given != null ? given
                : cfg.metricsEnabled() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : new SimpleMeterRegistry();
        LoopResources loops = LoopResources.create("odin-server", 1, Math.max(2, Runtime.getRuntime().availableProcessors()), true);
        Scheduler tasks = Schedulers.newParallel("odin-server-tasks", Math.max(2, Runtime.getRuntime().availableProcessors()), true);
        ServerCore core = new ServerCore(cfg, roomVerifier, gatewayVerifier, registry, clock, tasks);
        AtomicReference<String> publicAddress = new AtomicReference<>(cfg.publicAddress());
        GatewayHandler gateway = new GatewayHandler(core, publicAddress::get);
        int maxFrame = cfg.limits().maxFrameBytes();
        int hardCap = Math.max(4 * maxFrame, 1024 * 1024);
        WebsocketServerSpec wsSpec = WebsocketServerSpec.builder().maxFramePayloadLength(hardCap).build();

        HttpServer http = HttpServer.create()
                .host(cfg.http().host())
                .port(cfg.http().port())
                .runOn(loops)
                .route(routes -> {
                    routes.ws("/v1/room", (in, out) -> {
                        AtomicReference<Channel> channel = new AtomicReference<>();
                        in.withConnection(c -> channel.set(c.channel()));
                        return core.openSession(channel.get(), in, hardCap);
                    }, wsSpec);
                    routes.post("/", gateway::handle);
                    routes.options("/", gateway::options);
                    if (cfg.metricsEnabled() && registry instanceof PrometheusMeterRegistry prometheus) {
                        routes.get("/metrics", (req, res) -> res
                                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                                .sendString(Mono.fromCallable(prometheus::scrape)));
                    }
                    routes.route(req -> true, (req, res) -> res.status(HttpResponseStatus.NOT_FOUND)
                            .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                            .sendString(Mono.just("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"not found\"},\"id\":null}")));
                });
        if (cfg.http().tls()) {
            http = http.secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(
                    cfg.http().certificateFile().toFile(), cfg.http().privateKeyFile().toFile())));
        }
        return http.bind()
                .flatMap(server -> bindRelay(cfg, core, (InetSocketAddress) server.address(), registry)
                        .thenReturn(server)
                        .onErrorResume(e -> {
                            server.disposeNow();
                            return Mono.error(e);
                        }))
                .map(server -> {
                    InetSocketAddress address = (InetSocketAddress) server.address();
                    if (publicAddress.get() == null) {
                        publicAddress.set(hostPort(address));
                    }
                    core.start();
                    log.info("odin server listening on {}://{} (public address {}), keys {}", cfg.http().tls() ? "https" : "http",
                            hostPort(address), publicAddress.get(), keyIds(cfg, keys));
                    return new RunningServer(core, server, address, publicAddress.get(), cfg.http().tls(), registry, loops, tasks);
                })
                .onErrorResume(e -> loops.disposeLater().then(Mono.fromRunnable(tasks::dispose)).then(Mono.error(e)));
    }

    /**
     * The media relay on UDP, same address and port number as the TCP listener (docs/protocol.md §1);
     * its counters join the server's meter registry ({@link RelayMetrics}).
     */
    private static Mono<Void> bindRelay(ServerConfig cfg, ServerCore core, InetSocketAddress tcp, MeterRegistry registry) {
        ServerConfig.PeerLimits peer = cfg.limits().peer();
        RelayLimits d = RelayLimits.DEFAULTS;
        RelayLimits limits = new RelayLimits(d.mediaPacketRate(), d.mediaPacketBurst(), Math.max(1, peer.medias()),
                peer.concurrentStreams(), d.streamIdleTimeout());
        return MediaRelay.builder()
                .address(new InetSocketAddress(tcp.getAddress(), tcp.getPort()))
                .routing(ServerCore.relayRouting())
                .limits(limits)
                .bind()
                .doOnNext(relay -> {
                    core.attachRelay(relay);
                    new RelayMetrics(relay).bindTo(registry);
                    log.info("odin media relay on udp {} ({})", hostPort(relay.address()), relay.isNative() ? "epoll" : "nio");
                })
                .then();
    }

    private static TokenVerifier verifier(ServerConfig cfg, List<AccessKey> keys, Clock clock, Audience first, Audience... more) {
        TokenVerifier.Builder b = TokenVerifier.builder()
                .clock(clock)
                .leeway(cfg.authorization().leeway())
                .allowUnsigned(cfg.authorization().allowUnsigned())
                .audiences(first, more);
        for (AccessKey k : keys) {
            b.addKey(k);
        }
        for (Map<String, String> jwk : cfg.authorization().keys()) {
            Map<String, String> pub = new java.util.LinkedHashMap<>(jwk);
            pub.remove("d"); // the private part is never needed to verify
            try {
                b.addJwk(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(pub));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("authorization.keys: cannot encode JWK " + pub.get("kid"), e);
            }
        }
        return b.build();
    }

    private static List<String> keyIds(ServerConfig cfg, List<AccessKey> keys) {
        List<String> ids = new ArrayList<>();
        keys.forEach(k -> ids.add(k.keyId()));
        cfg.authorization().keys().forEach(k -> ids.add(k.getOrDefault("kid", "(derived)")));
        return ids;
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return host + ":" + address.getPort();
    }

}
