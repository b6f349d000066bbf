package dev.odinreactive.server.internal;

import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.JoinResult;
import dev.odinreactive.protocol.Methods;
import dev.odinreactive.protocol.PeerInfo;
import dev.odinreactive.protocol.ProtocolException;
import dev.odinreactive.protocol.Response;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One room: its peers, room user data and culling. Every state change runs as a task on the
 * room's {@link SerialExecutor}, so all peers observe changes in the same order and no lock or
 * thread per room is needed. Notifications are encoded once and queued to each recipient's
 * {@link Outbound} from within the task, which fixes their order per connection.
 *
 * <p>Created on first join, removed from the server when the last peer leaves; a task that finds
 * the room already removed re-routes a join to the room's successor.
 */
final class Room {

    final String id;
    private final ServerCore server;
    private final SerialExecutor executor;
    // --- state below is touched only by tasks on 'executor'
    private final Map<Long, Peer> peers = new LinkedHashMap<>();
    private final BitSet usedMediaIds = new BitSet();
    private String customer = "";
    private byte[] userData = new byte[0];
    private boolean removed;
    /** Media commands and relay routes of this room (media issue). */
    final RoomMedia media;

    Room(String id, ServerCore server, Executor overflow) {
        this.id = id;
        this.server = server;
        this.executor = new SerialExecutor(overflow);
        this.media = new RoomMedia(this, server);
    }

    /** Room task: the peer with this id, or null. */
    Peer peer(long peerId) {
        return peers.get(peerId);
    }

    /** Room task: the peers (live view). */
    java.util.Collection<Peer> peersView() {
        return peers.values();
    }

    void execute(Runnable task) {
        executor.execute(task);
    }

    // ------------------------------------------------------------ join / leave

    /** Task: add the session's peer, answer JoinRoom with the culled snapshot, tell visible peers. */
    void join(JoinRequest j) {
        execute(() -> {
            if (removed) {
                server.join(j); // raced with the room's removal: go to its successor
                return;
            }
            ErrorCode refusal = server.joinRefusal(id, j.claims().userId());
            if (refusal != null) {
                j.fail(new ProtocolException(refusal, refusal == ErrorCode.BANNED
                        ? "user is banned from room " + id : "room " + id + " is closed"));
                removeIfEmpty();
                return;
            }
            if (j.session().isClosed()) {
                j.fail(new ProtocolException(ErrorCode.INTERNAL, "connection closed while joining"));
                removeIfEmpty();
                return;
            }
            if (!server.reservePeer()) {
                j.fail(new ProtocolException(ErrorCode.SERVER_FULL, "server reached max_peers"));
                removeIfEmpty();
                return;
            }
            if (peers.isEmpty()) {
                customer = j.claims().customer().orElse("");
            }
            Peer me = new Peer(server.nextPeerId(), j.claims().userId(), j.session(), j.userData(), j.position(),
                    allocateMediaIds(server.mediasPerPeer()));
            if (!j.session().joined(this, me)) { // the connection closed while joining
                for (int mediaId : me.mediaIds) {
                    usedMediaIds.clear(mediaId);
                }
                server.releasePeer();
                j.fail(new ProtocolException(ErrorCode.INTERNAL, "connection closed while joining"));
                removeIfEmpty();
                return;
            }
            List<PeerInfo> visible = new ArrayList<>();
            for (Peer q : peers.values()) {
                if (me.inRange(q)) {
                    me.visible.add(q.id);
                    q.visible.add(me.id);
                    visible.add(q.info());
                }
            }
            peers.put(me.id, me);
            JoinResult result = new JoinResult(id, customer, userData, visible, me.id, me.mediaIds);
            j.session().respond(Response.ok(j.requestId(), result.toWire()));
            j.succeeded();
            if (!me.visible.isEmpty()) {
                byte[] note = Notifications.peerJoined(me);
                for (Long qid : me.visible) {
                    peers.get(qid).session.send(note);
                    media.becameVisible(peers.get(qid), me);
                }
            }
            media.refresh();
        });
    }

    /** Task: remove the peer (idempotent); peers that saw it get PeerLeft. */
    void leave(Peer me) {
        execute(() -> remove(me));
    }

    private void remove(Peer me) {
        if (me.removed) {
            return;
        }
        me.removed = true;
        peers.remove(me.id);
        media.removed(me);
        for (int mediaId : me.mediaIds) {
            usedMediaIds.clear(mediaId);
        }
        server.releasePeer();
        if (!me.visible.isEmpty()) {
            byte[] note = Notifications.peerLeft(me.id);
            for (Long qid : me.visible) {
                Peer q = peers.get(qid);
                if (q != null) {
                    q.visible.remove(me.id);
                    q.session.send(note);
                }
            }
            me.visible.clear();
        }
        media.refresh();
        removeIfEmpty();
    }

    private void removeIfEmpty() {
        if (peers.isEmpty() && !removed) {
            removed = true;
            media.closed();
            server.removeRoom(this);
        }
    }

    private List<Integer> allocateMediaIds(int count) {
        List<Integer> ids = new ArrayList<>(count);
        int next = 1;
        while (ids.size() < count) {
            next = usedMediaIds.nextClearBit(next);
            if (next > 0xFFFF) {
                break; // more than 65535 medias in one room: the peer gets a smaller pool
            }
            usedMediaIds.set(next);
            ids.add(next);
        }
        return List.copyOf(ids);
    }

    // ------------------------------------------------------------ peer commands

    /** Task: replace the peer's user data; peers that see it get PeerUpdated[UserDataChanged]. */
    void updatePeerUserData(Peer me, long requestId, byte[] data) {
        execute(() -> {
            if (me.removed) {
                return;
            }
            me.userData = data;
            if (!me.visible.isEmpty()) {
                byte[] note = Notifications.peerUserDataChanged(me.id, data);
                for (Long qid : me.visible) {
                    peers.get(qid).session.send(note);
                }
            }
            me.session.respond(Response.ok(requestId, null));
        });
    }

    /**
     * Task: move the peer; for every pair whose visibility changes both sides get
     * PeerJoined/PeerLeft. The requester gets those notifications before its response.
     */
    void setPosition(Peer me, long requestId, double[] xyz) {
        execute(() -> {
            if (me.removed) {
                return;
            }
            if (me.x != xyz[0] || me.y != xyz[1] || me.z != xyz[2]) {
                me.x = xyz[0];
                me.y = xyz[1];
                me.z = xyz[2];
                byte[] meJoined = null;
                byte[] meLeft = null;
                for (Peer q : peers.values()) {
                    if (q == me) {
                        continue;
                    }
                    boolean was = me.visible.contains(q.id);
                    boolean now = me.inRange(q);
                    if (was == now) {
                        continue;
                    }
                    if (now) {
                        me.visible.add(q.id);
                        q.visible.add(me.id);
                        me.session.send(Notifications.peerJoined(q));
                        q.session.send(meJoined == null ? meJoined = Notifications.peerJoined(me) : meJoined);
                        media.becameVisible(q, me);
                        media.becameVisible(me, q);
                    } else {
                        me.visible.remove(q.id);
                        q.visible.remove(me.id);
                        me.session.send(Notifications.peerLeft(q.id));
                        q.session.send(meLeft == null ? meLeft = Notifications.peerLeft(me.id) : meLeft);
                    }
                }
                media.refresh();
            }
            me.session.respond(Response.ok(requestId, null));
        });
    }

    /**
     * Task: deliver a message to all other peers or to the targets (not culled). Any unknown
     * target fails the whole request with {@code unknown_peer} and nothing is delivered.
     */
    void sendMessage(Peer me, long requestId, byte[] message, long[] targets) {
        execute(() -> {
            if (me.removed) {
                return;
            }
            List<Peer> recipients = new ArrayList<>();
            if (targets == null) {
                for (Peer q : peers.values()) {
                    if (q != me) {
                        recipients.add(q);
                    }
                }
            } else {
                java.util.Set<Long> seen = new java.util.HashSet<>();
                for (long t : targets) {
                    Peer q = peers.get(t);
                    if (q == null) {
                        me.session.respondError(requestId, new ProtocolException(ErrorCode.UNKNOWN_PEER,
                                "peer " + t + " is not in room " + id));
                        return;
                    }
                    if (seen.add(t)) {
                        recipients.add(q);
                    }
                }
            }
            if (!recipients.isEmpty()) {
                byte[] note = Notifications.message(me.id, message);
                for (Peer q : recipients) {
                    q.session.send(note);
                }
                server.metrics().messages.increment(recipients.size());
            }
            me.session.respond(Response.ok(requestId, null));
        });
    }

    // ------------------------------------------------------------ management (gateway)

    /** Task: set room user data; every peer gets RoomUpdated[UserDataChanged]. */
    void setUserData(byte[] data, Runnable done) {
        execute(() -> {
            if (!removed) {
                userData = data;
                byte[] note = Notifications.roomUserDataChanged(data);
                for (Peer q : peers.values()) {
                    q.session.send(note);
                }
            }
            done.run();
        });
    }

    /** Task: deliver a server message (sender 0) to every peer of {@code userId}. */
    void sendServerMessage(String userId, byte[] message, Runnable done) {
        execute(() -> {
            byte[] note = Notifications.message(Methods.SERVER_SENDER_ID, message);
            int n = 0;
            for (Peer q : peers.values()) {
                if (q.userId.equals(userId)) {
                    q.session.send(note);
                    n++;
                }
            }
            server.metrics().messages.increment(n);
            done.run();
        });
    }

    /** Task: remove peers of {@code userId} (or all when null) with {@code Left{reason}}, then close them. */
    void kick(String userId, String reason, Runnable done) {
        execute(() -> {
            byte[] note = Notifications.left(reason);
            for (Peer q : new ArrayList<>(peers.values())) {
                if (userId == null || q.userId.equals(userId)) {
                    q.session.send(note);
                    remove(q);
                    q.session.closeAfterFlush(1000, reason);
                }
            }
            done.run();
        });
    }

    /** Reads peers count (racy, for reports only). */
    int approximatePeers() {
        return peers.size();
    }
}
