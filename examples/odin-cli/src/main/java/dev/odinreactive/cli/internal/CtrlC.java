package dev.odinreactive.cli.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Clean Ctrl-C (SIGINT/SIGTERM) for a long-running command: the JVM's shutdown hook only signals
 * {@link #await stop} and then waits (at most {@code grace}) until the command has finalised its
 * files and released everything ({@link #close()}); only then may the JVM exit.
 */
public final class CtrlC implements AutoCloseable {

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private CtrlC(String name, Duration grace) {
        hook = new Thread(() -> {
            stop.countDown();
            try {
                finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Installs the hook; close it when the command is done. */
    public static CtrlC install(String name, Duration grace) {
        return new CtrlC(name, grace);
    }

    /** Stops the wait early (e.g. the room closed), as Ctrl-C would. */
    public void stop() {
        stop.countDown();
    }

    /** Waits up to {@code timeout} ({@code null}: for ever); true if stopped (Ctrl-C or {@link #stop()}), false if the time is over. */
    public boolean await(Duration timeout) throws InterruptedException {
        if (timeout == null) {
            stop.await();
            return true;
        }
        return stop.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** The command is done: lets a pending Ctrl-C exit, removes the hook. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already running the hook: fine
        }
    }
}
