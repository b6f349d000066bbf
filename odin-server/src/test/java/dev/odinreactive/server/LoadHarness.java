package dev.odinreactive.server;

import static dev.odinreactive.protocol.Methods.*;

import dev.odinreactive.protocol.Notification;
import dev.odinreactive.protocol.Response;
import dev.odinreactive.server.test.RawClient;
import dev.odinreactive.server.test.TestTokens;
import dev.odinreactive.token.AccessKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Control-plane load run (not a test, never run by verify): N raw clients over R rooms join,
 * each updates its user data once and sends M messages to its room; prints join latency
 * p50/p99, message delivery latency, and the server's CPU time and heap per peer. The server
 * runs in a child JVM so its CPU and heap are measured apart from the clients'.
 *
 * <pre>
 * mvn -B -q -pl odin-server -am test-compile
 * mvn -B -q -pl odin-server dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp odin-server/target/test-classes:odin-server/target/classes:$(cat /tmp/cp.txt) \
 *      dev.odinreactive.server.LoadHarness [clients=500] [rooms=50] [messages=10] [joins in flight=25]
 * </pre>
 */
public final class LoadHarness {

    private int joinWindow = 25;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("server")) {
            serverProcess(args[1]);
            return;
        }
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int rooms = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        LoadHarness h = new LoadHarness();
        h.joinWindow = args.length > 3 ? Integer.parseInt(args[3]) : 25;
        h.run(clients, rooms, messages);
    }

    // ------------------------------------------------------------ server side (child JVM)

    private static void serverProcess(String accessKey) throws Exception {
        ServerConfig cfg = ServerConfig.defaults();
        RunningServer server = OdinServer.builder().config(cfg).trust(AccessKey.parse(accessKey)).start().block(Duration.ofSeconds(30));
        PrintWriter out = new PrintWriter(System.out, true);
        out.println("URL " + server.controlUrl());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("stats")) {
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
                Runtime rt = Runtime.getRuntime();
                long heap = rt.totalMemory() - rt.freeMemory();
                long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
                out.println("STATS " + heap + " " + cpu + " " + server.peers() + " " + server.rooms() + " "
                        + server.meterRegistry().get("odin.server.slow.consumers").counter().count() + " "
                        + server.meterRegistry().find("odin.server.rejects").counters().stream().mapToDouble(c -> c.count()).sum());
            } else if (line.equals("quit")) {
                break;
            }
        }
        server.disposeNow(Duration.ofSeconds(10));
    }

    // ------------------------------------------------------------ client side

    private Process server;
    private BufferedReader serverOut;
    private PrintWriter serverIn;

    private long[] stats() throws Exception {
        serverIn.println("stats");
        String line;
        while ((line = serverOut.readLine()) != null && !line.startsWith("STATS ")) {
            // skip log lines
        }
        return Arrays.stream(line.substring(6).split(" ")).mapToLong(s -> (long) Double.parseDouble(s)).toArray();
    }

    private void run(int clientCount, int roomCount, int messagesPerClient) throws Exception {
        TestTokens tokens = new TestTokens();
        String java = ProcessHandle.current().info().command().orElse("java");
        server = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                LoadHarness.class.getName(), "server", tokens.key.encoded())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        serverIn = new PrintWriter(server.getOutputStream(), true);
        String url = null;
        String line;
        while ((line = serverOut.readLine()) != null) {
            if (line.startsWith("URL ")) {
                url = line.substring(4);
                break;
            }
        }
        System.out.printf("server %s; %d clients over %d rooms, %d messages each%n", url, clientCount, roomCount, messagesPerClient);
        long[] idle = stats();

        int peersPerRoom = clientCount / roomCount;
        long expectedDeliveries = (long) clientCount * messagesPerClient * (peersPerRoom - 1);
        long expectedUserData = (long) clientCount * (peersPerRoom - 1);
        CountDownLatch delivered = new CountDownLatch(1);
        AtomicLong messagesSeen = new AtomicLong();
        AtomicLong userDataSeen = new AtomicLong();
        ConcurrentLinkedQueue<Long> messageLatencies = new ConcurrentLinkedQueue<>();
        java.util.function.Consumer<Notification> listener = n -> {
            if (n.method().equals(MESSAGE_RECEIVED)) {
                long sent = ByteBuffer.wrap((byte[]) n.params().get("message")).getLong();
                messageLatencies.add(System.nanoTime() - sent);
                if (messagesSeen.incrementAndGet() == expectedDeliveries && userDataSeen.get() >= expectedUserData) {
                    delivered.countDown();
                }
            } else if (n.method().equals(PEER_UPDATED)) {
                if (userDataSeen.incrementAndGet() >= expectedUserData && messagesSeen.get() == expectedDeliveries) {
                    delivered.countDown();
                }
            }
        };

        // connect
        List<RawClient> clients = new ArrayList<>(clientCount);
        List<String> tokenList = new ArrayList<>(clientCount);
        for (int i = 0; i < clientCount; i++) {
            tokenList.add(tokens.sfu("room-" + (i % roomCount), "user-" + i));
        }
        long connectStart = System.nanoTime();
        for (int i = 0; i < clientCount; i++) {
            clients.add(RawClient.connect(url, true, listener));
        }
        System.out.printf("connected %d WebSockets in %d ms%n", clientCount, (System.nanoTime() - connectStart) / 1_000_000);

        // join: Hello + JoinRoom pipelined per client, at most joinWindow joins in flight;
        // latency = JoinRoom sent -> answered (token check, room task, snapshot, fan-out)
        long[] joinIds = new long[clientCount];
        long[] joinSent = new long[clientCount];
        Response[] joinResults = new Response[clientCount];
        long joinStart = System.nanoTime();
        for (int i = 0; i < clientCount; i++) {
            if (i >= joinWindow) {
                joinResults[i - joinWindow] = clients.get(i - joinWindow).response(joinIds[i - joinWindow], Duration.ofSeconds(60));
            }
            RawClient c = clients.get(i);
            c.send(HELLO, Map.of("protocol", 1L, "client", "load"));
            Map<String, Object> p = new HashMap<>();
            p.put("token", tokenList.get(i));
            p.put("room_id", "room-" + (i % roomCount));
            p.put("user_data", ("hello from " + i).getBytes(StandardCharsets.UTF_8));
            p.put("position", List.of(0.0, 0.0, 0.0));
            joinSent[i] = System.nanoTime();
            joinIds[i] = c.send(JOIN_ROOM, p);
        }
        long[] joinLatency = new long[clientCount];
        int joinFailures = 0;
        for (int i = 0; i < clientCount; i++) {
            Response r = joinResults[i] != null ? joinResults[i] : clients.get(i).response(joinIds[i], Duration.ofSeconds(60));
            if (r.error() != null) {
                joinFailures++;
            }
            joinLatency[i] = clients.get(i).responseArrivalNanos(joinIds[i]) - joinSent[i];
        }
        long joinWall = System.nanoTime() - joinStart;
        long[] joined = stats();
        Arrays.sort(joinLatency);
        System.out.printf("joined %d peers (%d failed, <= %d joins in flight) in %d ms: join latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                clientCount - joinFailures, joinFailures, joinWindow, joinWall / 1_000_000, pct(joinLatency, 0.50), pct(joinLatency, 0.99),
                joinLatency[clientCount - 1] / 1e6);
        System.out.printf("server heap: idle %.1f MiB, with %d peers in %d rooms %.1f MiB -> %.1f KiB per peer%n",
                idle[0] / 1048576.0, joined[2], joined[3], joined[0] / 1048576.0, (joined[0] - idle[0]) / 1024.0 / clientCount);

        // exchange: one user data update, then M messages per client, one round every 100 ms
        // (every client at ODIN's default command rate of 10/s)
        long exchangeStart = System.nanoTime();
        for (int round = 0; round <= messagesPerClient; round++) {
            LockSupport.parkNanos(exchangeStart + round * 100_000_000L - System.nanoTime());
            for (RawClient c : clients) {
                if (round == 0) {
                    c.send(UPDATE_PEER, Map.of("user_data", "updated".getBytes(StandardCharsets.UTF_8)));
                } else {
                    byte[] msg = new byte[64];
                    ByteBuffer.wrap(msg).putLong(System.nanoTime());
                    c.send(SEND_MESSAGE, Map.of("message", msg));
                }
            }
        }
        boolean complete = delivered.await(120, TimeUnit.SECONDS);
        long exchangeWall = System.nanoTime() - exchangeStart;
        long[] after = stats();
        long[] lat = messageLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("exchange: %d/%d messages + %d/%d user data notifications delivered in %d ms (%.0f deliveries/s)%s%n",
                messagesSeen.get(), expectedDeliveries, userDataSeen.get(), expectedUserData, exchangeWall / 1_000_000,
                (messagesSeen.get() + userDataSeen.get()) / (exchangeWall / 1e9), complete ? "" : " INCOMPLETE");
        System.out.printf("message latency p50 %.1f ms, p99 %.1f ms%n", pct(lat, 0.50), pct(lat, 0.99));
        double cpuMs = (after[1] - joined[1]) / 1e6;
        System.out.printf("server CPU: join phase %.0f ms (%.2f ms per join), exchange phase %.0f ms (%.1f µs per delivered notification)%n",
                (joined[1] - idle[1]) / 1e6, (joined[1] - idle[1]) / 1e6 / clientCount, cpuMs,
                cpuMs * 1000 / Math.max(1, messagesSeen.get() + userDataSeen.get()));
        System.out.printf("server counters: slow consumers %d, rejects %d%n", after[4], after[5]);

        for (RawClient c : clients) {
            c.close();
        }
        serverIn.println("quit");
        server.waitFor(20, TimeUnit.SECONDS);
        System.exit(0);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
