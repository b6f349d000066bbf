package dev.odinreactive.it.room;

import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.Peer;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients in two rooms: every peer sees every join, leave and user data change of its own
 * room (and nothing of the other room), as a self-consistent stream in the order each peer made
 * its changes.
 */
class RoomMembershipIT extends RoomItSupport {

    static final int IN_A = 8;
    static final int IN_B = 4;
    static final int UPDATES = 5;

    @Test
    void everyPeerSeesEveryChangeOfItsRoomInOrder() throws Exception {
        startServer();
        client();
        List<Room> a = new ArrayList<>();
        List<Recorder> ra = new ArrayList<>();
        List<Room> b = new ArrayList<>();
        List<Recorder> rb = new ArrayList<>();
        // join one by one, interleaving the rooms; each recorder starts right after its join
        for (int i = 0; i < IN_A; i++) {
            Room r = client.room().userData(utf8("a" + i + ":0")).join(server.gatewayUrl(), token("room-a", "ua" + i)).block(WAIT);
            a.add(r);
            ra.add(record(r));
            if (i < IN_B) {
                Room rbRoom = join("room-b", "ub" + i);
                b.add(rbRoom);
                rb.add(record(rbRoom));
            }
        }
        assertThat(a).extracting(Room::id).containsOnly("room-a");
        assertThat(a.stream().map(Room::ownPeerId).distinct().count()).isEqualTo(IN_A);

        // everyone in A sees all other A peers, none of B
        for (int i = 0; i < IN_A; i++) {
            ra.get(i).awaitPeers(WAIT, othersOf(a, i));
        }
        for (int i = 0; i < IN_B; i++) {
            rb.get(i).awaitPeers(WAIT, othersOf(b, i));
        }

        // each A peer updates its user data several times, concurrently with the others
        List<Mono<Void>> updates = new ArrayList<>();
        for (int i = 0; i < IN_A; i++) {
            Room r = a.get(i);
            int peer = i;
            updates.add(Flux.range(1, UPDATES)
                    .concatMap(v -> r.updatePeerUserData(utf8("a" + peer + ":" + v)))
                    .then());
        }
        Mono.when(updates).block(WAIT);

        // the last two A peers leave
        a.get(IN_A - 1).close().block(WAIT);
        a.get(IN_A - 2).close().block(WAIT);
        List<Room> stay = a.subList(0, IN_A - 2);
        for (int i = 0; i < stay.size(); i++) {
            Recorder r = ra.get(i);
            r.awaitPeers(WAIT, othersOf(stay, i));
            for (Room other : stay) {
                if (other != r.room) {
                    long id = other.ownPeerId();
                    String prefix = "a" + a.indexOf(other) + ":";
                    r.await(e -> !r.dataHistory(id).isEmpty()
                            && r.dataHistory(id).get(r.dataHistory(id).size() - 1).asUtf8().equals(prefix + UPDATES),
                            WAIT, "last user data of peer " + id);
                    // the values of each peer arrive in the order it set them (a subsequence is fine)
                    List<Integer> seen = r.dataHistory(id).stream()
                            .map(d -> Integer.parseInt(d.asUtf8().substring(prefix.length()))).toList();
                    assertThat(seen).as("user data order of " + id + " seen by " + r.room.ownPeerId()).isSorted();
                }
            }
            r.assertConsistent();
        }
        // peers that left saw a complete stream ending in DISCONNECTED
        for (int i = IN_A - 2; i < IN_A; i++) {
            ra.get(i).awaitCompleted(WAIT);
            RoomEvent last = ra.get(i).events().get(ra.get(i).events().size() - 1);
            assertThat(last).isInstanceOf(RoomEvent.ConnectionStateChanged.class);
        }
        // room B saw nothing of room A
        for (Recorder r : rb) {
            Map<Long, Peer> view = r.view();
            assertThat(view.values()).extracting(Peer::userId).allMatch(u -> u.startsWith("ub"));
            r.assertConsistent();
        }
        // every A observer saw the same user data for every remaining peer
        for (Room other : stay) {
            long id = other.ownPeerId();
            assertThat(stay.stream().filter(r -> r != other).map(r -> r.peers().get(id).userData())
                    .collect(Collectors.toSet())).containsExactly(Bytes.utf8("a" + a.indexOf(other) + ":" + UPDATES));
        }
        assertThat(server.rooms()).isEqualTo(2);
        assertThat(server.peers()).isEqualTo(IN_A - 2 + IN_B);
    }

    @Test
    void joinAndLeaveEventsArePairedForEveryObserver() throws Exception {
        startServer();
        client();
        Room watcher = join("churn", "watcher");
        Recorder w = record(watcher);
        List<Long> seenIds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Room r = join("churn", "guest" + i);
            seenIds.add(r.ownPeerId());
            r.close().block(WAIT);
        }
        // the watcher's notifications come over its own connection, after the guests' join and
        // leave answers: wait until it saw a leave of every guest (an empty view alone holds at once)
        w.await(events -> seenIds.stream().allMatch(id -> events.stream()
                .anyMatch(e -> e instanceof RoomEvent.PeerLeft pl && pl.peerId() == id)), WAIT, "a leave of every guest");
        w.awaitPeers(WAIT);
        for (long id : seenIds) {
            List<RoomEvent> about = w.events().stream().filter(e -> e instanceof RoomEvent.PeerJoined pj && pj.peer().id() == id
                    || e instanceof RoomEvent.PeerLeft pl && pl.peerId() == id).toList();
            assertThat(about).as("events about peer " + id).hasSize(2);
            assertThat(about.get(0)).isInstanceOf(RoomEvent.PeerJoined.class);
            assertThat(about.get(1)).isInstanceOf(RoomEvent.PeerLeft.class);
        }
        w.assertConsistent();
    }

    static Long[] othersOf(List<Room> rooms, int self) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < rooms.size(); i++) {
            if (i != self) {
                ids.add(rooms.get(i).ownPeerId());
            }
        }
        return ids.toArray(new Long[0]);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
