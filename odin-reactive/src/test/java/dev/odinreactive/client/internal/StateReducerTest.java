package dev.odinreactive.client.internal;

import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.Peer;
import dev.odinreactive.client.RoomEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StateReducerTest {

    static final long OWN = 7;

    static Peer peer(long id, String data) {
        return new Peer(id, "user-" + id, Bytes.utf8(data));
    }

    static RoomState state(Peer... peers) {
        return RoomState.of("room", "cust", OWN, "me", Bytes.EMPTY, List.of(peers));
    }

    @Test
    void snapshotDropsOwnPeerAndDuplicateIds() {
        RoomState s = RoomState.of("room", "cust", OWN, "me", Bytes.EMPTY,
                List.of(peer(1, "a"), peer(OWN, "me"), peer(1, "dup"), peer(2, "b")));
        assertThat(s.peers().keySet()).containsExactly(1L, 2L);
        assertThat(s.peers().get(1L).userData().asUtf8()).isEqualTo("a");
        assertThat(s.toJoined().peers()).extracting(Peer::id).containsExactly(1L, 2L);
    }

    @Test
    void peerJoinedOnceThenDuplicateIsNotRepeated() {
        StateReducer.Step s1 = StateReducer.apply(state(), new ServerUpdate.PeerJoined(peer(1, "a")));
        assertThat(s1.events()).containsExactly(new RoomEvent.PeerJoined(peer(1, "a")));
        StateReducer.Step s2 = StateReducer.apply(s1.state(), new ServerUpdate.PeerJoined(peer(1, "a")));
        assertThat(s2.events()).isEmpty();
        StateReducer.Step s3 = StateReducer.apply(s2.state(), new ServerUpdate.PeerJoined(peer(1, "b")));
        assertThat(s3.events()).containsExactly(new RoomEvent.PeerUserDataChanged(1, Bytes.utf8("b")));
        assertThat(s3.state().peers().get(1L).userData()).isEqualTo(Bytes.utf8("b"));
    }

    @Test
    void sameIdWithOtherUserIsLeaveThenJoin() {
        Peer other = new Peer(1, "someone-else", Bytes.EMPTY);
        StateReducer.Step s = StateReducer.apply(state(peer(1, "a")), new ServerUpdate.PeerJoined(other));
        assertThat(s.events()).containsExactly(new RoomEvent.PeerLeft(1, "user-1"), new RoomEvent.PeerJoined(other));
    }

    @Test
    void updatesAboutUnknownOrOwnPeersAreIgnored() {
        RoomState s = state(peer(1, "a"));
        assertThat(StateReducer.apply(s, new ServerUpdate.PeerLeft(99)).events()).isEmpty();
        assertThat(StateReducer.apply(s, new ServerUpdate.PeerUserDataChanged(99, Bytes.utf8("x"))).events()).isEmpty();
        assertThat(StateReducer.apply(s, new ServerUpdate.PeerJoined(peer(OWN, "me"))).events()).isEmpty();
        assertThat(StateReducer.apply(s, new ServerUpdate.PeerUserDataChanged(1, Bytes.utf8("a"))).events())
                .as("unchanged data is no event").isEmpty();
        assertThat(StateReducer.apply(s, new ServerUpdate.MediaStarted(99, 1)).events()).isEmpty();
    }

    @Test
    void peerLeftCarriesUserIdAndRemoves() {
        StateReducer.Step s = StateReducer.apply(state(peer(1, "a"), peer(2, "b")), new ServerUpdate.PeerLeft(1));
        assertThat(s.events()).containsExactly(new RoomEvent.PeerLeft(1, "user-1"));
        assertThat(s.state().peers().keySet()).containsExactly(2L);
    }

    @Test
    void roomDataAndMessages() {
        StateReducer.Step s = StateReducer.apply(state(), new ServerUpdate.RoomUserDataChanged(Bytes.utf8("r")));
        assertThat(s.events()).containsExactly(new RoomEvent.RoomUserDataChanged(Bytes.utf8("r")));
        assertThat(StateReducer.apply(s.state(), new ServerUpdate.RoomUserDataChanged(Bytes.utf8("r"))).events()).isEmpty();
        assertThat(StateReducer.apply(state(), new ServerUpdate.MessageReceived(0, Bytes.utf8("m"))).events())
                .containsExactly(new RoomEvent.MessageReceived(0, Bytes.utf8("m")));
    }

    @Test
    void reconcileEmitsLeftThenChangedThenJoinedThenRoomData() {
        RoomState before = state(peer(1, "a"), peer(2, "b"), peer(3, "c"));
        RoomState after = RoomState.of("room", "cust", 42, "me", Bytes.utf8("new room data"),
                List.of(peer(3, "c2"), peer(4, "d"), peer(2, "b")));
        assertThat(StateReducer.reconcile(before, after)).containsExactly(
                new RoomEvent.PeerLeft(1, "user-1"),
                new RoomEvent.PeerUserDataChanged(3, Bytes.utf8("c2")),
                new RoomEvent.PeerJoined(peer(4, "d")),
                new RoomEvent.RoomUserDataChanged(Bytes.utf8("new room data")));
        assertThat(StateReducer.reconcile(before, before)).isEmpty();
    }

    /** Replaying snapshot + reconcile events always rebuilds exactly the new snapshot. */
    @Test
    void reconcileIsExactForRandomSnapshots() {
        Random rnd = new Random(5);
        for (int round = 0; round < 500; round++) {
            RoomState before = randomState(rnd);
            RoomState after = randomState(rnd);
            RoomState replayed = before;
            for (RoomEvent e : StateReducer.reconcile(before, after)) {
                replayed = replay(replayed, e);
            }
            assertThat(new ArrayList<>(replayed.peers().values()))
                    .containsExactlyInAnyOrderElementsOf(after.peers().values());
            assertThat(replayed.roomUserData()).isEqualTo(after.roomUserData());
        }
    }

    private static RoomState randomState(Random rnd) {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < rnd.nextInt(8); i++) {
            long id = 1 + rnd.nextInt(10);
            peers.add(new Peer(id, "u" + (rnd.nextInt(3) == 0 ? rnd.nextInt(2) : id), Bytes.utf8("d" + rnd.nextInt(3))));
        }
        return RoomState.of("room", "cust", OWN, "me", Bytes.utf8("r" + rnd.nextInt(2)), peers);
    }

    /** A subscriber's fold over events (what an application does with the stream). */
    private static RoomState replay(RoomState s, RoomEvent e) {
        if (e instanceof RoomEvent.PeerJoined pj) {
            assertThat(s.peers()).as("no duplicate join").doesNotContainKey(pj.peer().id());
            return StateReducer.apply(s, new ServerUpdate.PeerJoined(pj.peer())).state();
        }
        if (e instanceof RoomEvent.PeerLeft pl) {
            assertThat(s.peers()).as("no ghost leave").containsKey(pl.peerId());
            return StateReducer.apply(s, new ServerUpdate.PeerLeft(pl.peerId())).state();
        }
        if (e instanceof RoomEvent.PeerUserDataChanged pu) {
            return StateReducer.apply(s, new ServerUpdate.PeerUserDataChanged(pu.peerId(), pu.userData())).state();
        }
        if (e instanceof RoomEvent.RoomUserDataChanged ru) {
            return StateReducer.apply(s, new ServerUpdate.RoomUserDataChanged(ru.userData())).state();
        }
        return s;
    }
}
