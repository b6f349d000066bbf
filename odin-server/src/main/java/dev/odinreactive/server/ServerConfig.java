package dev.odinreactive.server;

import dev.odinreactive.protocol.ProtocolLimits;
import dev.odinreactive.server.internal.TomlConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an {@link OdinServer} needs, mirroring ODIN's {@code config.toml} where the keys
 * apply (see {@link #load(Path)} and docs/protocol.md §7). Immutable; change parts with the
 * {@code with…} methods.
 *
 * @param publicAddress  {@code host:port} clients should use (gateway {@code Connect} answers it);
 *                       null = the bound address
 * @param http           listener, TLS and liveness settings ({@code [http]})
 * @param authorization  keys and token rules ({@code [authorization]})
 * @param limits         capacity, size and rate limits ({@code [limit]}, {@code [limit.peer]})
 * @param metricsEnabled serve Prometheus text at {@code GET /metrics} ({@code [metrics] enabled})
 */
public record ServerConfig(String publicAddress, Http http, Authorization authorization, Limits limits,
                           boolean metricsEnabled) {

    public ServerConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(limits, "limits");
    }

    /** Defaults: 127.0.0.1 on an ephemeral port, no keys, ODIN's default limits, metrics off. */
    public static ServerConfig defaults() {
        return new ServerConfig(null, Http.defaults(), Authorization.defaults(), Limits.defaults(), false);
    }

    /**
     * Reads a TOML file ({@code server.toml}); absent keys take the {@link #defaults()}.
     *
     * @throws IllegalArgumentException naming the key for unknown keys or bad values
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    public static ServerConfig load(Path file) {
        return TomlConfigLoader.load(file);
    }

    /** Parses TOML text, as {@link #load(Path)}. */
    public static ServerConfig parse(String toml) {
        return TomlConfigLoader.parse(toml);
    }

    public ServerConfig withPublicAddress(String publicAddress) {
        return new ServerConfig(publicAddress, http, authorization, limits, metricsEnabled);
    }

    public ServerConfig withHttp(Http http) {
        return new ServerConfig(publicAddress, http, authorization, limits, metricsEnabled);
    }

    public ServerConfig withAuthorization(Authorization authorization) {
        return new ServerConfig(publicAddress, http, authorization, limits, metricsEnabled);
    }

    public ServerConfig withLimits(Limits limits) {
        return new ServerConfig(publicAddress, http, authorization, limits, metricsEnabled);
    }

    public ServerConfig withMetricsEnabled(boolean metricsEnabled) {
        return new ServerConfig(publicAddress, http, authorization, limits, metricsEnabled);
    }

    /**
     * {@code [http]}: the one TCP listener (gateway, control WebSocket, metrics).
     *
     * @param host            bind host ({@code binding = "host:port"})
     * @param port            bind port, 0 = ephemeral
     * @param certificateFile PEM certificate chain for https/wss, or null for plain http/ws
     * @param privateKeyFile  PEM PKCS#8 private key matching the certificate
     * @param timeout         idle timeout: a connection with no inbound frame or pong for this long is closed
     * @param pingInterval    how often the server pings each WebSocket
     */
    public record Http(String host, int port, Path certificateFile, Path privateKeyFile, Duration timeout,
                       Duration pingInterval) {
        public Http {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if ((certificateFile == null) != (privateKeyFile == null)) {
                throw new IllegalArgumentException("certificate_file and private_key_file go together");
            }
            positive(timeout, "timeout");
            positive(pingInterval, "ping_interval");
        }

        /** 127.0.0.1:0, no TLS, ODIN's {@code timeout = 10000}, {@code ping_interval = 5000}. */
        public static Http defaults() {
            return new Http("127.0.0.1", 0, null, null, Duration.ofSeconds(10), Duration.ofSeconds(5));
        }

        public Http withBinding(String host, int port) {
            return new Http(host, port, certificateFile, privateKeyFile, timeout, pingInterval);
        }

        public Http withTls(Path certificateFile, Path privateKeyFile) {
            return new Http(host, port, certificateFile, privateKeyFile, timeout, pingInterval);
        }

        public Http withLiveness(Duration timeout, Duration pingInterval) {
            return new Http(host, port, certificateFile, privateKeyFile, timeout, pingInterval);
        }

        /** Whether TLS (https/wss) is configured. */
        public boolean tls() {
            return certificateFile != null;
        }
    }

    /**
     * {@code [authorization]}: who may join.
     *
     * @param keys          public JWKs ({@code kid}, {@code kty = "OKP"}, {@code crv = "Ed25519"}, {@code x});
     *                      a private {@code d} is ignored and never printed
     * @param leeway        tolerance on token {@code nbf}/{@code exp} (ODIN default 5000 ms)
     * @param allowUnsigned accept {@code alg: none} tokens (never in production)
     */
    public record Authorization(List<Map<String, String>> keys, Duration leeway, boolean allowUnsigned) {
        public Authorization {
            keys = keys.stream().map(Map::copyOf).toList();
            if (leeway.isNegative()) {
                throw new IllegalArgumentException("leeway must not be negative");
            }
        }

        /** No keys, 5 s leeway, unsigned tokens refused. */
        public static Authorization defaults() {
            return new Authorization(List.of(), Duration.ofSeconds(5), false);
        }

        public Authorization withKeys(List<Map<String, String>> keys) {
            return new Authorization(keys, leeway, allowUnsigned);
        }

        public Authorization withLeeway(Duration leeway) {
            return new Authorization(keys, leeway, allowUnsigned);
        }

        public Authorization withAllowUnsigned(boolean allowUnsigned) {
            return new Authorization(keys, leeway, allowUnsigned);
        }

        /** Lists key ids only: the JWKs may carry a private {@code d}. */
        @Override
        public String toString() {
            return "Authorization[keys=" + keys.stream().map(k -> k.getOrDefault("kid", "?")).toList()
                    + ", leeway=" + leeway + ", allowUnsigned=" + allowUnsigned + "]";
        }
    }

    /**
     * {@code [limit]} and {@code [limit.peer]}.
     *
     * @param maxClients          concurrent control connections
     * @param maxRooms            concurrent rooms
     * @param maxPeers            concurrent peers (joined connections) on the server
     * @param maxFrameBytes       largest client frame ({@code max_frame_bytes})
     * @param maxUserDataBytes    largest peer/room user data
     * @param maxMessageBytes     largest message
     * @param outboundQueueFrames frames queued for one connection before it is closed as a slow consumer
     * @param peer                per-peer limits
     */
    public record Limits(int maxClients, int maxRooms, int maxPeers, int maxFrameBytes, int maxUserDataBytes,
                         int maxMessageBytes, int outboundQueueFrames, PeerLimits peer) {
        public Limits {
            Objects.requireNonNull(peer, "peer");
            if (maxClients <= 0 || maxRooms <= 0 || maxPeers <= 0 || outboundQueueFrames <= 0) {
                throw new IllegalArgumentException("max_clients, max_rooms, max_peers and outbound_queue must be > 0");
            }
            protocolLimits(maxFrameBytes, maxUserDataBytes, maxMessageBytes, peer); // validates sizes
        }

        /** 10000 clients, 1000 rooms, 10000 peers, protocol default sizes, 1024 queued frames. */
        public static Limits defaults() {
            ProtocolLimits d = ProtocolLimits.DEFAULTS;
            return new Limits(10_000, 1_000, 10_000, d.maxFrameBytes(), d.maxUserDataBytes(), d.maxMessageBytes(),
                    1024, PeerLimits.defaults());
        }

        public Limits withCapacity(int maxClients, int maxRooms, int maxPeers) {
            return new Limits(maxClients, maxRooms, maxPeers, maxFrameBytes, maxUserDataBytes, maxMessageBytes,
                    outboundQueueFrames, peer);
        }

        public Limits withSizes(int maxFrameBytes, int maxUserDataBytes, int maxMessageBytes) {
            return new Limits(maxClients, maxRooms, maxPeers, maxFrameBytes, maxUserDataBytes, maxMessageBytes,
                    outboundQueueFrames, peer);
        }

        public Limits withOutboundQueueFrames(int outboundQueueFrames) {
            return new Limits(maxClients, maxRooms, maxPeers, maxFrameBytes, maxUserDataBytes, maxMessageBytes,
                    outboundQueueFrames, peer);
        }

        public Limits withPeer(PeerLimits peer) {
            return new Limits(maxClients, maxRooms, maxPeers, maxFrameBytes, maxUserDataBytes, maxMessageBytes,
                    outboundQueueFrames, peer);
        }

        /** The limits as reported to clients in the {@code Hello} result. */
        public ProtocolLimits protocolLimits() {
            return protocolLimits(maxFrameBytes, maxUserDataBytes, maxMessageBytes, peer);
        }

        private static ProtocolLimits protocolLimits(int frame, int userData, int message, PeerLimits peer) {
            ProtocolLimits d = ProtocolLimits.DEFAULTS;
            return new ProtocolLimits(frame, d.maxServerFrameBytes(), userData, message, d.maxMessageTargets(),
                    d.maxRoomIdBytes(), peer.incomingRate(), peer.incomingCapacity(), peer.medias());
        }
    }

    /**
     * {@code [limit.peer]}.
     *
     * @param incomingRate      commands per second ({@code incoming_messages.rate}, ODIN default 10)
     * @param incomingCapacity  token bucket capacity ({@code incoming_messages.capacity}, default 50)
     * @param medias            media id pool size per peer (default 5)
     * @param concurrentStreams audio streams a peer receives at once (media issue; default 8, 0 = unlimited)
     */
    public record PeerLimits(int incomingRate, int incomingCapacity, int medias, int concurrentStreams) {
        public PeerLimits {
            if (incomingRate <= 0 || incomingCapacity <= 0 || medias < 0 || medias > 256 || concurrentStreams < 0) {
                throw new IllegalArgumentException("bad [limit.peer] values");
            }
        }

        /** ODIN's defaults: 10/s, capacity 50, 5 medias, 8 streams. */
        public static PeerLimits defaults() {
            return new PeerLimits(10, 50, 5, 8);
        }
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be > 0");
        }
    }
}
