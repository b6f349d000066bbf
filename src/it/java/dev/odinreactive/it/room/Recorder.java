package dev.odinreactive.it.room;

import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.Peer;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscribes to a room's events and folds them the way an application would, checking on the
 * fly that the stream is self-consistent: it starts with a snapshot, never repeats a join,
 * never reports a leave, a data change or a message for a peer it does not see.
 * Waiting is condition-based ({@link #await}), never a sleep.
 */
final class Recorder implements AutoCloseable {

    final Room room;
    private final List<RoomEvent> events = new ArrayList<>();
    private final Map<Long, Peer> view = new LinkedHashMap<>();
    private final List<String> anomalies = new ArrayList<>();
    private final Disposable subscription;
    private boolean completed;

    Recorder(Room room) {
        this.room = room;
        this.subscription = room.events().subscribe(this::on, e -> {
            synchronized (this) {
                anomalies.add("error: " + e);
                notifyAll();
            }
        }, () -> {
            synchronized (this) {
                completed = true;
                notifyAll();
            }
        });
    }

    private synchronized void on(RoomEvent e) {
        if (events.isEmpty() && !(e instanceof RoomEvent.Joined) && !(e instanceof RoomEvent.ConnectionStateChanged)) {
            anomalies.add("first event is not a snapshot: " + e);
        }
        events.add(e);
        if (e instanceof RoomEvent.Joined j) {
            if (events.size() > 1) {
                anomalies.add("second snapshot: " + e);
            }
            j.peers().forEach(p -> view.put(p.id(), p));
        } else if (e instanceof RoomEvent.PeerJoined pj) {
            if (view.put(pj.peer().id(), pj.peer()) != null) {
                anomalies.add("duplicate join: " + e);
            }
        } else if (e instanceof RoomEvent.PeerLeft pl) {
            if (view.remove(pl.peerId()) == null) {
                anomalies.add("ghost leave: " + e);
            }
        } else if (e instanceof RoomEvent.PeerUserDataChanged pu) {
            Peer p = view.get(pu.peerId());
            if (p == null) {
                anomalies.add("data change of unknown peer: " + e);
            } else {
                view.put(p.id(), p.withUserData(pu.userData()));
            }
        }
        notifyAll();
    }

    /** Waits until {@code condition} holds on the events so far; fails after {@code timeout}. */
    synchronized List<RoomEvent> await(Predicate<List<RoomEvent>> condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(events)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + " in room " + room + "; events: " + events);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(events);
    }

    /** Waits until this subscriber's view has exactly these peer ids. */
    void awaitPeers(Duration timeout, Long... ids) throws InterruptedException {
        List<Long> want = List.of(ids);
        await(e -> view.keySet().containsAll(want) && view.size() == want.size(), timeout, "peers " + want);
    }

    synchronized void awaitCompleted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!completed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("events() did not complete; events: " + events);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized List<RoomEvent> events() {
        return List.copyOf(events);
    }

    synchronized Map<Long, Peer> view() {
        return Map.copyOf(view);
    }

    /** Messages received, in order. */
    synchronized List<RoomEvent.MessageReceived> messages() {
        return events.stream().filter(e -> e instanceof RoomEvent.MessageReceived)
                .map(e -> (RoomEvent.MessageReceived) e).toList();
    }

    /** The user data values this subscriber saw for {@code peerId}, in order. */
    synchronized List<Bytes> dataHistory(long peerId) {
        List<Bytes> out = new ArrayList<>();
        for (RoomEvent e : events) {
            if (e instanceof RoomEvent.Joined j) {
                j.peers().stream().filter(p -> p.id() == peerId).forEach(p -> out.add(p.userData()));
            } else if (e instanceof RoomEvent.PeerJoined pj && pj.peer().id() == peerId) {
                out.add(pj.peer().userData());
            } else if (e instanceof RoomEvent.PeerUserDataChanged pu && pu.peerId() == peerId) {
                out.add(pu.userData());
            }
        }
        return out;
    }

    /** The stream was self-consistent and the fold matches the room's own getters. */
    synchronized void assertConsistent() {
        assertThat(anomalies).as("stream anomalies of " + room).isEmpty();
        assertThat(view).as("fold of events == room.peers() for " + room).isEqualTo(room.peers());
    }

    @Override
    public void close() {
        subscription.dispose();
    }
}
