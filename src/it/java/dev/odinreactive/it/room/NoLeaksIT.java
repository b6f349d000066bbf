package dev.odinreactive.it.room;

import dev.odinreactive.server.OdinServer;

import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent.ConnectionStateChanged.State;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After the clients close (some explicitly, the rest through {@code disposeLater()}), no
 * channel, socket or thread of ours is left: the server counts no connection, the process holds
 * no more sockets than before, and no {@code odin-client-*} or {@code odin-server*} thread lives.
 */
class NoLeaksIT extends RoomItSupport {

    @Test
    void closingClientsAndServerReleasesSocketsAndThreads() throws Exception {
        // warm-up: the first UDP (media relay) socket of the process makes the JDK/Netty keep one
        // process-wide socket open for good; it is not per server (a second start/stop adds none)
        OdinServer.builder().start().block(WAIT).disposeNow(WAIT);
        long socketsBefore = openSockets();
        List<String> threadsBefore = ourThreads();

        startServer();
        client();
        List<Room> rooms = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Room r = join("leak-" + (i % 3), "u" + i);
            rooms.add(r);
            record(r);
        }
        Flux.fromIterable(rooms).flatMap(r -> r.sendMessage(new byte[] {1})).blockLast(WAIT);
        assertThat(server.connections()).isEqualTo(10);
        assertThat(openSockets()).isGreaterThanOrEqualTo(socketsBefore + 20); // both ends of 10 loopback connections

        for (Room r : rooms.subList(0, 5)) {
            r.close().block(WAIT);
        }
        client.disposeLater().block(WAIT);
        rooms.forEach(r -> assertThat(r.connectionState()).isEqualTo(State.DISCONNECTED));
        awaitServer(() -> server.connections() == 0 && server.peers() == 0 && server.rooms() == 0);
        assertThat(ourThreads()).as("client threads after disposeLater").noneMatch(n -> n.startsWith("odin-client-"));

        server.disposeNow(WAIT);
        // a stopped executor's worker may still be leaving its run method: join (bounded) before counting
        joinNewThreads(threadsBefore);
        assertThat(ourThreads()).as("our threads after the server stopped").isSubsetOf(threadsBefore);
        assertThat(openSockets()).as("sockets held by the process").isLessThanOrEqualTo(socketsBefore);
        client = null;
        server = null;
    }

    /** Server counters settle asynchronously after the client side closed: bounded wait, no fixed sleep. */
    private static void awaitServer(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("server released every connection").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }

    /** Joins, each within {@code WAIT}, the threads of ours that were not alive at {@code before}. */
    private static void joinNewThreads(List<String> before) throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("odin-") && !before.contains(t.getName())) {
                t.join(WAIT.toMillis());
            }
        }
    }

    private static List<String> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("odin-")).sorted().toList();
    }

    /** Sockets open in this process (Linux /proc), counting both ends of loopback connections. */
    private static long openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }
}
