package dev.odinreactive.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.odinreactive.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code server.toml} (Jackson's TOML data format) into a {@link ServerConfig}. Keys are
 * those of ODIN's {@code config.toml} where they apply; unknown keys are an error naming the key,
 * except ODIN sections this server does not implement, which are ignored with a warning.
 */
public final class TomlConfigLoader {

    private static final Logger log = LoggerFactory.getLogger(TomlConfigLoader.class);
    private static final TomlMapper TOML = new TomlMapper();
    private static final Set<String> IGNORED_ODIN_SECTIONS =
            Set.of("quic", "supervisor", "provisioning", "database", "internal", "license", "logging", "telemetry");

    private TomlConfigLoader() {
    }

    public static ServerConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return parse(text, file.toAbsolutePath().getParent());
    }

    public static ServerConfig parse(String toml) {
        return parse(toml, Path.of("."));
    }

    private static ServerConfig parse(String toml, Path baseDir) {
        JsonNode root;
        try {
            root = TOML.readTree(toml);
        } catch (IOException e) {
            throw new IllegalArgumentException("server.toml is not valid TOML: " + e.getMessage(), e);
        }
        if (root == null) {
            return ServerConfig.defaults();
        }
        Table top = new Table(root, "");
        for (String ignored : IGNORED_ODIN_SECTIONS) {
            if (top.node.has(ignored)) {
                top.seen.add(ignored);
                log.warn("server.toml: section [{}] is not supported by this server and is ignored", ignored);
            }
        }
        ServerConfig d = ServerConfig.defaults();
        String publicAddress = top.string("public_address", null);

        Table http = top.table("http");
        ServerConfig.Http dh = d.http();
        String host = dh.host();
        int port = dh.port();
        String binding = http.string("binding", null);
        if (binding != null) {
            int colon = binding.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("http.binding must be host:port, got " + binding);
            }
            host = binding.substring(0, colon).replace("[", "").replace("]", "");
            try {
                port = Integer.parseInt(binding.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("http.binding port is not a number: " + binding);
            }
        }
        String cert = http.string("certificate_file", null);
        String key = http.string("private_key_file", null);
        ServerConfig.Http h = new ServerConfig.Http(host, port,
                cert == null ? null : baseDir.resolve(cert), key == null ? null : baseDir.resolve(key),
                http.millis("timeout", dh.timeout()), http.millis("ping_interval", dh.pingInterval()));
        http.finish();

        Table auth = top.table("authorization");
        List<Map<String, String>> keys = new ArrayList<>();
        JsonNode keyNodes = auth.raw("keys");
        if (keyNodes != null) {
            if (!keyNodes.isArray()) {
                throw new IllegalArgumentException("authorization.keys must be an array of tables ([[authorization.keys]])");
            }
            int i = 0;
            for (JsonNode k : keyNodes) {
                Table kt = new Table(k, "authorization.keys[" + i++ + "].");
                Map<String, String> jwk = new LinkedHashMap<>();
                for (String f : List.of("kid", "kty", "crv", "x", "d")) {
                    String v = kt.string(f, null);
                    if (v != null) {
                        jwk.put(f, v);
                    }
                }
                kt.finish();
                keys.add(jwk);
            }
        }
        ServerConfig.Authorization da = d.authorization();
        ServerConfig.Authorization a = new ServerConfig.Authorization(keys, auth.millis("leeway", da.leeway()),
                auth.bool("allow_unsigned", da.allowUnsigned()));
        auth.finish();

        Table limit = top.table("limit");
        ServerConfig.Limits dl = d.limits();
        Table peer = limit.table("peer");
        ServerConfig.PeerLimits dp = dl.peer();
        Table incoming = peer.table("incoming_messages");
        int rate = incoming.integer("rate", dp.incomingRate());
        int capacity = incoming.integer("capacity", dp.incomingCapacity());
        incoming.integer("overflow", 0); // ODIN key, meaning undocumented: accepted and ignored
        incoming.finish();
        ServerConfig.PeerLimits p = new ServerConfig.PeerLimits(rate, capacity,
                peer.integer("medias", dp.medias()), peer.integer("concurrent_streams", dp.concurrentStreams()));
        peer.finish();
        ServerConfig.Limits l = new ServerConfig.Limits(
                limit.integer("max_clients", dl.maxClients()), limit.integer("max_rooms", dl.maxRooms()),
                limit.integer("max_peers", dl.maxPeers()), limit.integer("max_frame_bytes", dl.maxFrameBytes()),
                limit.integer("max_user_data_bytes", dl.maxUserDataBytes()),
                limit.integer("max_message_bytes", dl.maxMessageBytes()),
                limit.integer("outbound_queue", dl.outboundQueueFrames()), p);
        limit.finish();

        Table metrics = top.table("metrics");
        boolean metricsEnabled = metrics.bool("enabled", d.metricsEnabled());
        metrics.finish();
        top.finish();
        return new ServerConfig(publicAddress, h, a, l, metricsEnabled);
    }

    /** A TOML table that remembers which keys were read, to reject unknown ones. */
    private static final class Table {
        final JsonNode node;
        final String prefix;
        final Set<String> seen = new java.util.HashSet<>();

        Table(JsonNode node, String prefix) {
            if (node != null && !node.isObject()) {
                throw new IllegalArgumentException(prefix.isEmpty() ? "config root must be a table"
                        : prefix.substring(0, prefix.length() - 1) + " must be a table");
            }
            this.node = node;
            this.prefix = prefix;
        }

        JsonNode raw(String key) {
            seen.add(key);
            return node == null ? null : node.get(key);
        }

        Table table(String key) {
            return new Table(raw(key), prefix + key + ".");
        }

        String string(String key, String dflt) {
            JsonNode v = raw(key);
            if (v == null) {
                return dflt;
            }
            if (!v.isTextual()) {
                throw new IllegalArgumentException(prefix + key + " must be a string");
            }
            return v.textValue();
        }

        int integer(String key, int dflt) {
            JsonNode v = raw(key);
            if (v == null) {
                return dflt;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new IllegalArgumentException(prefix + key + " must be an integer");
            }
            return v.intValue();
        }

        boolean bool(String key, boolean dflt) {
            JsonNode v = raw(key);
            if (v == null) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw new IllegalArgumentException(prefix + key + " must be true or false");
            }
            return v.booleanValue();
        }

        Duration millis(String key, Duration dflt) {
            JsonNode v = raw(key);
            if (v == null) {
                return dflt;
            }
            if (!v.isIntegralNumber() || v.longValue() < 0) {
                throw new IllegalArgumentException(prefix + key + " must be a number of milliseconds");
            }
            return Duration.ofMillis(v.longValue());
        }

        void finish() {
            if (node == null) {
                return;
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!seen.contains(name)) {
                    throw new IllegalArgumentException("unknown key in server.toml: " + prefix + name);
                }
            }
        }
    }
}
