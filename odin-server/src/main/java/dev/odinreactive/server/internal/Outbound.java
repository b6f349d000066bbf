package dev.odinreactive.server.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection's bounded outbound queue. Any thread may {@link #send} (room tasks, the event
 * loop, the liveness sweep); frames go out in the order they were accepted, written in batches
 * on the channel's event loop (always through {@code eventLoop().execute}, so a sender that
 * happens to run on that loop cannot overtake earlier frames).
 *
 * <p>Slow-consumer policy: a frame counts as pending from {@link #send} until Netty has written it
 * to the socket. When {@code limit} frames are pending the connection is closed at once (the
 * {@code onOverflow} callback runs once, the frame is dropped and released) — a client that does
 * not read cannot make the server buffer without bound.
 */
final class Outbound {

    private final Channel channel;
    private final int limit;
    private final Runnable onOverflow;
    private final Queue<WebSocketFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final ChannelFutureListener written;
    private final Runnable flushTask = this::flush;
    private volatile boolean closing;

    Outbound(Channel channel, int limit, Runnable onOverflow) {
        this.channel = channel;
        this.limit = limit;
        this.onOverflow = onOverflow;
        this.written = f -> pending.decrementAndGet();
    }

    /** Queues a frame; returns false (frame released) if closing or over the limit. */
    boolean send(WebSocketFrame frame) {
        if (closing) {
            ReferenceCountUtil.release(frame);
            return false;
        }
        if (pending.incrementAndGet() > limit) {
            pending.decrementAndGet();
            ReferenceCountUtil.release(frame);
            if (overflowed.compareAndSet(false, true)) {
                closing = true;
                onOverflow.run();
            }
            return false;
        }
        queue.offer(frame);
        schedule();
        return true;
    }

    /** Queues a close frame after everything already queued, then closes the channel. Idempotent. */
    void closeAfterFlush(int status, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        pending.incrementAndGet();
        queue.offer(new CloseWebSocketFrame(status, reason));
        schedule();
    }

    /** Frames accepted but not yet written to the socket. */
    int pending() {
        return pending.get();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flush() {
        scheduled.set(false);
        WebSocketFrame frame;
        boolean any = false;
        while ((frame = queue.poll()) != null) {
            any = true;
            if (!channel.isActive()) {
                ReferenceCountUtil.release(frame);
                pending.decrementAndGet();
                continue;
            }
            if (frame instanceof CloseWebSocketFrame) {
                channel.writeAndFlush(frame).addListener(written).addListener(ChannelFutureListener.CLOSE);
                any = false;
            } else {
                channel.write(frame).addListener(written);
            }
        }
        if (any) {
            channel.flush();
        }
    }
}
