package dev.odinreactive.bench.media;

import dev.odinreactive.protocol.media.MediaKey;
import dev.odinreactive.server.relay.MediaRelay;
import dev.odinreactive.server.relay.RelaySession;
import dev.odinreactive.server.relay.RelayStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Relay side of the capacity harness (not run by verify): starts a {@link MediaRelay} on
 * loopback with {@code senders} rooms of 1 sender + {@code fanout} listeners, writes the
 * sessions' keys (benchmark keys only) to {@code dir/keys.txt} for {@link RelayLoadGenerator},
 * and rewrites {@code dir/stats.txt} every 100 ms. Run it pinned to one core:
 *
 * <pre>taskset -c 0 java -cp benchmarks/target/benchmarks.jar dev.odinreactive.bench.media.RelayBenchServer \
 *     --senders 112 --fanout 10 --keys shared --dir /tmp/relaybench</pre>
 */
public final class RelayBenchServer {

    private RelayBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = RelayLoadGenerator.options(args);
        int senders = Integer.parseInt(a.getOrDefault("senders", "112"));
        int fanout = Integer.parseInt(a.getOrDefault("fanout", "10"));
        boolean shared = !"per-receiver".equals(a.getOrDefault("keys", "shared"));
        boolean nativeTransport = !"nio".equals(a.getOrDefault("transport", "epoll"));
        Path dir = Path.of(a.getOrDefault("dir", "/tmp/relaybench"));
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("keys.txt"));

        if ("plain".equals(a.get("mode"))) {
            plain(senders, fanout, dir, Integer.parseInt(a.getOrDefault("port", "0")));
            return;
        }
        Map<RelaySession, List<RelaySession>> routes = new HashMap<>();
        MediaRelay relay = MediaRelay.builder()
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(a.getOrDefault("port", "0"))))
                .nativeTransport(nativeTransport)
                .routing((sender, mediaId) -> routes.getOrDefault(sender, List.of()))
                .bind().block(Duration.ofSeconds(10));
        StringBuilder keys = new StringBuilder();
        keys.append("relay ").append(relay.address().getPort()).append('\n');
        HexFormat hex = HexFormat.of();
        for (int room = 0; room < senders; room++) {
            MediaKey roomKey = shared ? relay.newForwardingKey() : null;
            RelaySession sender = relay.openSession(null, roomKey);
            List<RelaySession> listeners = new ArrayList<>();
            for (int i = 0; i < fanout; i++) {
                listeners.add(relay.openSession(null, roomKey));
            }
            routes.put(sender, List.copyOf(listeners));
            for (RelaySession s : prepend(sender, listeners)) {
                keys.append(s == sender ? "sender " : "listener ").append(room).append(' ')
                        .append(s.id()).append(' ').append(hex.formatHex(s.keys().uplink().secret())).append('\n');
            }
        }
        Path tmp = dir.resolve("keys.tmp");
        Files.writeString(tmp, keys, StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve("keys.txt"), StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("relay on %s (%s), %d rooms x (1 sender + %d listeners), %s keys%n", relay.address(),
                relay.isNative() ? "epoll" : "nio", senders, fanout, shared ? "shared room" : "per-receiver");
        Runtime.getRuntime().addShutdownHook(new Thread(relay::dispose));
        while (true) {
            writeStats(dir, relay.stats());
            Thread.sleep(100); // a reporting period, not synchronisation
        }
    }

    /** The calibration baseline ({@link PlainUdpRelay}): same file formats, no security or limits. */
    private static void plain(int senders, int fanout, Path dir, int port) throws Exception {
        java.security.SecureRandom random = new java.security.SecureRandom();
        io.netty.util.collection.IntObjectHashMap<int[]> routes = new io.netty.util.collection.IntObjectHashMap<>();
        PlainUdpRelay relay = new PlainUdpRelay(routes);
        InetSocketAddress bound = (InetSocketAddress) relay.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).localAddress();
        StringBuilder keys = new StringBuilder("relay " + bound.getPort() + "\n");
        HexFormat hex = HexFormat.of();
        int nextId = random.nextInt(1 << 20);
        for (int room = 0; room < senders; room++) {
            int sender = nextId++;
            int[] listeners = new int[fanout];
            for (int i = 0; i < fanout; i++) {
                listeners[i] = nextId++;
            }
            routes.put(sender, listeners);
            keys.append("sender ").append(room).append(' ').append(sender).append(' ')
                    .append(hex.formatHex(MediaKey.random(sender, random).secret())).append('\n');
            for (int id : listeners) {
                keys.append("listener ").append(room).append(' ').append(id).append(' ')
                        .append(hex.formatHex(MediaKey.random(id, random).secret())).append('\n');
            }
        }
        Path tmp = dir.resolve("keys.tmp");
        Files.writeString(tmp, keys, StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve("keys.txt"), StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("PLAIN relay (no auth/crypto/limits) on %s, %d rooms x (1 + %d)%n", bound, senders, fanout);
        while (true) {
            String line = relay.in + " " + relay.forwarded + " 0 0 0 " + relay.forwarded + " " + cpuNanos() + " {}\n";
            Path t = dir.resolve("stats.tmp");
            Files.writeString(t, line, StandardCharsets.US_ASCII);
            Files.move(t, dir.resolve("stats.txt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(100); // a reporting period, not synchronisation
        }
    }

    private static List<RelaySession> prepend(RelaySession first, List<RelaySession> rest) {
        List<RelaySession> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /**
     * CPU time of this whole process (all threads: event loop, GC, JIT, this reporter), which on
     * loopback includes the kernel's delivery of each sent datagram into the listener's socket.
     */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void writeStats(Path dir, RelayStats s) throws IOException {
        String line = s.datagramsIn() + " " + s.forwarded() + " " + s.dropped() + " " + s.opens() + " " + s.seals()
                + " " + s.datagramsOut() + " " + cpuNanos() + " " + s.drops() + "\n";
        Path tmp = dir.resolve("stats.tmp");
        Files.writeString(tmp, line, StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve("stats.txt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
