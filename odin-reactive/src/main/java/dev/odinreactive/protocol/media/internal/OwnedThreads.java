package dev.odinreactive.protocol.media.internal;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/**
 * The threads of an event-loop group that an object creates and owns (the client's media
 * transport, the server's relay), so its {@code dispose()} can wait for them to end.
 */
public final class OwnedThreads {

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ThreadFactory factory;

    /** Daemon threads named {@code prefix-N-M}. */
    public OwnedThreads(String prefix) {
        DefaultThreadFactory delegate = new DefaultThreadFactory(prefix, true);
        this.factory = r -> {
            Thread t = delegate.newThread(r);
            threads.add(t);
            return t;
        };
    }

    /** The factory to hand to the event-loop group; it records every thread it makes. */
    public ThreadFactory factory() {
        return factory;
    }

    /** Joins every recorded thread but the caller's, each for at most {@code millis}. */
    public void join(long millis) {
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                try {
                    t.join(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
