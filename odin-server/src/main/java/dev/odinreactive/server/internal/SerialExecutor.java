package dev.odinreactive.server.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time in submission order without owning a thread: the submitter that
 * finds the executor idle drains the lock-free queue on its own thread (an event loop, never
 * blocking work); after {@value #BUDGET} tasks in a row the drain continues on {@code overflow}
 * so one busy room cannot monopolise an event loop. Tasks of one executor never overlap, and
 * each task sees the effects of the previous ones (happens-before through the queue and flag).
 */
final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    static final int BUDGET = 256;

    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Executor overflow;

    SerialExecutor(Executor overflow) {
        this.overflow = overflow;
    }

    @Override
    public void execute(Runnable task) {
        queue.offer(task);
        if (running.compareAndSet(false, true)) {
            drain();
        }
    }

    private void drain() {
        int budget = BUDGET;
        for (;;) {
            Runnable task = queue.poll();
            if (task == null) {
                running.set(false);
                if (queue.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            try {
                task.run();
            } catch (Throwable t) {
                log.error("room task failed", t);
            }
            if (--budget == 0) {
                overflow.execute(this::drain); // still 'running': the continuation owns the queue
                return;
            }
        }
    }
}
