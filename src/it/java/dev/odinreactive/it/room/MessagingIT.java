package dev.odinreactive.it.room;

import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages to everyone and to chosen peers arrive exactly once, in send order, only where addressed. */
class MessagingIT extends RoomItSupport {

    static final int PEERS = 5;
    static final int PER_SENDER = 10;

    @Test
    void broadcastAndTargetedMessagesArriveExactlyOnceInOrder() throws Exception {
        startServer();
        client();
        List<Room> rooms = new ArrayList<>();
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            Room r = join("chat", "u" + i);
            rooms.add(r);
            recorders.add(record(r));
        }
        for (int i = 0; i < PEERS; i++) {
            recorders.get(i).awaitPeers(WAIT, RoomMembershipIT.othersOf(rooms, i));
        }
        Room targetA = rooms.get(1);
        Room targetB = rooms.get(2);
        // all peers broadcast concurrently; peer 0 also sends to peers 1 and 2 only, interleaved
        List<Mono<Void>> sends = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            Room r = rooms.get(i);
            int sender = i;
            sends.add(Flux.range(0, PER_SENDER).concatMap(k -> {
                Mono<Void> all = r.sendMessage(bytes("all:" + sender + ":" + k));
                return sender == 0
                        ? all.then(r.sendMessage(bytes("dm:" + k), List.of(targetA.ownPeerId(), targetB.ownPeerId())))
                        : all;
            }).then());
        }
        Mono.when(sends).block(WAIT);

        for (int i = 0; i < PEERS; i++) {
            Recorder rec = recorders.get(i);
            int expected = (PEERS - 1) * PER_SENDER + (i == 1 || i == 2 ? PER_SENDER : 0);
            rec.await(e -> rec.messages().size() >= expected, WAIT, expected + " messages");
            List<RoomEvent.MessageReceived> got = rec.messages();
            assertThat(got).as("exactly once: no extra message at peer " + i).hasSize(expected);
            for (int s = 0; s < PEERS; s++) {
                long senderId = rooms.get(s).ownPeerId();
                List<String> fromS = got.stream().filter(m -> m.senderPeerId() == senderId)
                        .map(m -> m.message().asUtf8()).filter(t -> t.startsWith("all:")).toList();
                if (s == i) {
                    assertThat(fromS).as("no echo of own messages").isEmpty();
                    continue;
                }
                List<String> want = new ArrayList<>();
                for (int k = 0; k < PER_SENDER; k++) {
                    want.add("all:" + s + ":" + k);
                }
                assertThat(fromS).as("messages of " + s + " at " + i).containsExactlyElementsOf(want);
            }
            List<String> dms = got.stream().map(m -> m.message().asUtf8()).filter(t -> t.startsWith("dm:")).toList();
            if (i == 1 || i == 2) {
                List<String> want = new ArrayList<>();
                for (int k = 0; k < PER_SENDER; k++) {
                    want.add("dm:" + k);
                }
                assertThat(dms).containsExactlyElementsOf(want);
            } else {
                assertThat(dms).as("targeted messages reach only their targets").isEmpty();
            }
        }
        assertThat(rooms.get(0).stats().messagesOut()).isGreaterThanOrEqualTo(2 * PER_SENDER + 2);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
