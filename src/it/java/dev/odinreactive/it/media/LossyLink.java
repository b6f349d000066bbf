package dev.odinreactive.it.media;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A test-only lossy UDP link for {@link BlockingProxy} ({@code proxy.filter(link)}): per direction
 * it drops, duplicates, reorders and delays (jitter) media datagrams, chosen per packet by a
 * {@link Rule} — sequence-number rules or seeded random draws that depend only on (seed, media id,
 * sequence), so a run is reproducible whatever the timing. Only the plaintext header is read
 * (type, media id, sequence; docs/protocol.md M1): the AEAD stays intact, so what the receiver
 * sees is exactly what the link forwarded. Control datagrams (HELLO, PING, ...) pass untouched.
 *
 * <p>Everything it did is recorded per direction, media and client ({@link #log}) in the order
 * datagrams actually left, and per client the datagrams of every type forwarded ({@link #forwarded}). One daemon thread
 * sends the delayed datagrams; {@link #close()} stops it.
 */
final class LossyLink implements BlockingProxy.DatagramFilter, AutoCloseable {

    /** What happens to one media datagram. */
    enum Action {
        /** Forward (after the rule's jitter delay). */
        PASS,
        /** Never forward. */
        DROP,
        /** Forward twice (the copy right after the original: a duplicate the replay window drops). */
        DUPLICATE,
        /** Hold until the next datagram of the same media has gone, then forward: swaps the two. */
        SWAP
    }

    /** The fate of one media datagram: an action and an extra delay in microseconds (jitter). */
    record Decision(Action action, long delayMicros) {
        static final Decision PASS = new Decision(Action.PASS, 0);
    }

    /** Decides per media datagram, from its media id and sequence number only (deterministic). */
    @FunctionalInterface
    interface Rule {
        Decision decide(int mediaId, long sequence);

        /** Forward everything at once. */
        static Rule none() {
            return (m, s) -> Decision.PASS;
        }

        /**
         * Seeded random impairment: each packet independently lost with {@code loss}, duplicated
         * with {@code duplicate}, swapped with its successor with {@code swap} (fractions), and
         * delayed by a uniform 0 … {@code jitterMillis}; sequences below {@code from} or from
         * {@code until} on pass untouched (the stream's edges stay clean).
         */
        static Rule random(long seed, double loss, double duplicate, double swap, int jitterMillis, long from, long until) {
            return (m, s) -> {
                if (s < from || s >= until) {
                    return Decision.PASS;
                }
                SplittableRandom r = new SplittableRandom(seed * 0x9E37_79B9_7F4A_7C15L ^ ((long) m << 40) ^ s);
                double u = r.nextDouble();
                long delay = jitterMillis == 0 ? 0 : r.nextLong(jitterMillis * 1000L + 1);
                Action a = u < loss ? Action.DROP
                        : u < loss + duplicate ? Action.DUPLICATE
                        : u < loss + duplicate + swap ? Action.SWAP
                        : Action.PASS;
                return new Decision(a, delay);
            };
        }

        /**
         * A rule per client: {@code byClient} picks the rule for a client address (see
         * {@link LossyLink#clientsSeen()}); {@code null} means {@link #none()}.
         */
        static ClientRule perClient(Function<SocketAddress, Rule> byClient) {
            return (c, m, s) -> {
                Rule r = byClient.apply(c);
                return r == null ? Decision.PASS : r.decide(m, s);
            };
        }
    }

    /** A {@link Rule} that also sees the client (downlink: the receiver; uplink: the sender). */
    @FunctionalInterface
    interface ClientRule {
        Decision decide(SocketAddress client, int mediaId, long sequence);
    }

    /**
     * What the link did to one media in one direction; {@code sent} is the order in which
     * datagrams left the link (a receiver on loopback reads them in that order).
     *
     * @param arrived    datagrams that reached the link
     * @param dropped    sequence numbers dropped
     * @param duplicated sequence numbers sent twice
     * @param swapped    sequence numbers held back behind their successor
     * @param sent       sequence numbers in the order they were forwarded (duplicates twice)
     * @param spread     how far the arrivals strayed from a steady 20 ms clock, in ms: the largest
     *                   minus the smallest of (arrival − first arrival − 20 ms × sequences since
     *                   the first); 0 for a perfectly paced stream. On the uplink it is the
     *                   sender's own jitter (a sender falling behind real time on a loaded machine)
     */
    record MediaLog(long arrived, List<Long> dropped, List<Long> duplicated, List<Long> swapped, List<Long> sent,
                    long spread) {

        /** Distinct packets forwarded: what the receiver's replay window lets through. */
        long distinctSent() {
            return new HashSet<>(sent).size();
        }

        /** Second copies forwarded: what the receiver's replay window drops as REPLAYED. */
        long duplicatesSent() {
            return sent.size() - distinctSent();
        }

        /** Distinct packets forwarded after one with a higher sequence number (arrived "reordered"). */
        long reorderedSent() {
            Set<Long> seen = new HashSet<>();
            long max = -1;
            long n = 0;
            for (long s : sent) {
                if (!seen.add(s)) {
                    continue;
                }
                if (s < max) {
                    n++;
                }
                max = Math.max(max, s);
            }
            return n;
        }

        /** Sequence numbers between the lowest and highest forwarded that were never forwarded. */
        long missingSent() {
            if (sent.isEmpty()) {
                return 0;
            }
            long min = sent.stream().mapToLong(Long::longValue).min().orElseThrow();
            long max = sent.stream().mapToLong(Long::longValue).max().orElseThrow();
            return max - min + 1 - distinctSent();
        }

        @Override
        public String toString() {
            return "arrived " + arrived + " (spread " + spread + " ms), dropped " + dropped.size() + ", duplicated " + duplicated.size() + ", swapped "
                    + swapped.size() + ", sent " + sent.size() + " (distinct " + distinctSent() + ", reordered "
                    + reorderedSent() + ", missing " + missingSent() + ")";
        }
    }

    private static final class Log {
        long arrived;
        final List<Long> dropped = new ArrayList<>();
        final List<Long> duplicated = new ArrayList<>();
        final List<Long> swapped = new ArrayList<>();
        final List<Long> sent = new ArrayList<>();
        long firstSeq = -1;
        long firstNanos;
        long minOffset = Long.MAX_VALUE;
        long maxOffset = Long.MIN_VALUE;

        void arrived(long seq, long nanos) {
            arrived++;
            if (firstSeq < 0) {
                firstSeq = seq;
                firstNanos = nanos;
            }
            long offset = nanos - firstNanos - (seq - firstSeq) * 20_000_000L;
            minOffset = Math.min(minOffset, offset);
            maxOffset = Math.max(maxOffset, offset);
        }

        long spreadMillis() {
            return arrived == 0 ? 0 : (maxOffset - minOffset) / 1_000_000;
        }
    }

    private record Key(boolean uplink, int mediaId, SocketAddress client) {
    }

    private record Held(byte[] datagram, long sequence, long dueNanos, Consumer<byte[]> out) {
    }

    /** How long a swapped datagram waits for its successor before it goes anyway (end of a spurt). */
    private static final long HOLD_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ClientRule uplink;
    private final ClientRule downlink;
    private final List<SocketAddress> seen = new ArrayList<>();
    private final Map<Key, Log> logs = new HashMap<>();
    private final Map<Key, Held> held = new HashMap<>();
    private final Map<SocketAddress, long[]> perClient = new HashMap<>(); // [up, down] datagrams forwarded
    private final DelayQueue<Task> queue = new DelayQueue<>();
    /** Tasks scheduled and not yet finished (a task taken off the queue may still be sending). */
    private int pending;
    private final Thread sender;
    private long order;
    private volatile boolean closed;

    /** A link impairing media datagrams by {@code uplink} (client → server) and {@code downlink} rules. */
    LossyLink(Rule uplink, Rule downlink) {
        this((c, m, s) -> uplink.decide(m, s), (c, m, s) -> downlink.decide(m, s));
    }

    /** A link whose rules also see the client. */
    LossyLink(ClientRule uplink, ClientRule downlink) {
        this.uplink = uplink;
        this.downlink = downlink;
        this.sender = new Thread(this::sendLoop, "lossy-link");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void filter(boolean up, SocketAddress client, byte[] d, Consumer<byte[]> out) {
        synchronized (this) {
            if (!seen.contains(client)) {
                seen.add(client);
            }
        }
        Consumer<byte[]> counted = x -> {
            out.accept(x);
            synchronized (this) {
                perClient.computeIfAbsent(client, c -> new long[2])[up ? 0 : 1]++;
            }
        };
        if (d.length < 42 || d[1] != 1) { // not MEDIA: control datagrams pass untouched
            counted.accept(d);
            return;
        }
        int mediaId = ((d[16] & 0xFF) << 8) | (d[17] & 0xFF);
        long seq = ((d[18] & 0xFFL) << 24) | ((d[19] & 0xFFL) << 16) | ((d[20] & 0xFFL) << 8) | (d[21] & 0xFFL);
        Key key = new Key(up, mediaId, client);
        Decision decision = (up ? uplink : downlink).decide(client, mediaId, seq);
        long now = System.nanoTime();
        long due = now + TimeUnit.MICROSECONDS.toNanos(decision.delayMicros());
        synchronized (this) {
            Log log = logs.computeIfAbsent(key, k -> new Log());
            log.arrived(seq, now);
            Held before = held.remove(key);
            switch (decision.action()) {
                case DROP -> log.dropped.add(seq);
                case PASS -> schedule(due, key, seq, d, counted);
                case DUPLICATE -> {
                    log.duplicated.add(seq);
                    schedule(due, key, seq, d, counted);
                    schedule(due, key, seq, d.clone(), counted);
                }
                case SWAP -> {
                    log.swapped.add(seq);
                    held.put(key, new Held(d, seq, due, counted));
                    Held mine = held.get(key);
                    schedule(now + HOLD_LIMIT_NANOS, () -> releaseIfHeld(key, mine));
                }
            }
            if (before != null) { // goes right after its successor (or now, if that one was dropped)
                schedule(Math.max(due, before.dueNanos()), key, before.sequence(), before.datagram(), before.out());
            }
        }
    }

    private synchronized void releaseIfHeld(Key key, Held h) {
        if (held.remove(key, h)) {
            schedule(System.nanoTime(), key, h.sequence(), h.datagram(), h.out());
        }
    }

    private void schedule(long due, Key key, long seq, byte[] d, Consumer<byte[]> out) {
        schedule(due, () -> {
            out.accept(d);
            synchronized (this) {
                logs.get(key).sent.add(seq);
            }
        });
    }

    private synchronized void schedule(long due, Runnable r) {
        pending++;
        queue.add(new Task(due, order++, r));
    }

    private void sendLoop() {
        while (!closed) {
            try {
                Task t = queue.take();
                try {
                    t.run.run();
                } finally {
                    synchronized (this) {
                        pending--;
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a closed socket: the datagram is gone
            }
        }
    }

    /** What the link did to {@code mediaId} in one direction so far; the media must have one client (sender or receiver). */
    synchronized MediaLog log(boolean up, int mediaId) {
        Set<SocketAddress> c = clients(up, mediaId);
        if (c.size() > 1) {
            throw new IllegalStateException("media " + mediaId + " has " + c.size() + " clients " + c + ": name one");
        }
        return c.isEmpty() ? new MediaLog(0, List.of(), List.of(), List.of(), List.of(), 0) : log(up, mediaId, c.iterator().next());
    }

    /** What the link did to {@code mediaId} in one direction for one client so far (empty if it saw none). */
    synchronized MediaLog log(boolean up, int mediaId, SocketAddress client) {
        Log l = logs.get(new Key(up, mediaId, client));
        if (l == null) {
            return new MediaLog(0, List.of(), List.of(), List.of(), List.of(), 0);
        }
        return new MediaLog(l.arrived, List.copyOf(l.dropped), List.copyOf(l.duplicated), List.copyOf(l.swapped),
                List.copyOf(l.sent), l.spreadMillis());
    }

    /** Datagrams of every type forwarded from ({@code up}) or to a client so far. */
    synchronized long forwarded(boolean up, SocketAddress client) {
        long[] c = perClient.get(client);
        return c == null ? 0 : c[up ? 0 : 1];
    }

    /** The addresses of the clients that sent ({@code up}) or received {@code mediaId}. */
    synchronized Set<SocketAddress> clients(boolean up, int mediaId) {
        Set<SocketAddress> out = new HashSet<>();
        for (Key k : logs.keySet()) {
            if (k.uplink() == up && k.mediaId() == mediaId) {
                out.add(k.client());
            }
        }
        return Set.copyOf(out);
    }

    /** Every client address the link saw a datagram from or to, in order of first appearance. */
    synchronized List<SocketAddress> clientsSeen() {
        return List.copyOf(seen);
    }

    /** Nothing is held, delayed or being sent. */
    synchronized boolean idle() {
        return pending == 0 && held.isEmpty();
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
    }

    private static final class Task implements Delayed {
        final long due;
        final long order;
        final Runnable run;

        Task(long due, long order, Runnable run) {
            this.due = due;
            this.order = order;
            this.run = run;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task t = (Task) o;
            int c = Long.compare(due, t.due);
            return c != 0 ? c : Long.compare(order, t.order);
        }
    }
}
