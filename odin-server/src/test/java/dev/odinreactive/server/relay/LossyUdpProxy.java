package dev.odinreactive.server.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only UDP proxy between one client and the relay, on real loopback sockets. The client
 * talks to {@link #address()} as if it were the relay. Each direction can be blocked (every
 * datagram dropped) or given a script that drops, duplicates or delays (reorders) chosen
 * <em>media</em> datagrams by their index in that direction; control datagrams always pass
 * unless blocked. Two threads (one per direction), stopped by {@link #close()}.
 */
final class LossyUdpProxy implements AutoCloseable {

    enum Action { PASS, DROP, DUPLICATE, HOLD_UNTIL_NEXT }

    interface Script {
        Action on(int mediaIndex);
    }

    private final DatagramChannel clientSide;
    private final DatagramChannel relaySide;
    private final InetSocketAddress relay;
    private volatile SocketAddress client;
    volatile boolean blockUp;
    volatile boolean blockDown;
    volatile Script down = i -> Action.PASS;
    final AtomicInteger downMedia = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();
    /** The last media datagram passed to the client (for replay tests). */
    volatile byte[] lastMediaToClient;
    private final Thread upThread;
    private final Thread downThread;

    LossyUdpProxy(InetSocketAddress relay) throws IOException {
        this.relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.getPort());
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        this.clientSide = DatagramChannel.open().bind(any);
        this.relaySide = DatagramChannel.open().bind(any);
        this.upThread = new Thread(this::pumpUp, "proxy-up");
        this.downThread = new Thread(this::pumpDown, "proxy-down");
        upThread.setDaemon(true);
        downThread.setDaemon(true);
        upThread.start();
        downThread.start();
    }

    /** Where the client sends (the "relay" address from its point of view). */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) clientSide.getLocalAddress();
    }

    /** Sends raw bytes to the client from the proxy's address (the relay as the client sees it). */
    void injectToClient(byte[] datagram) throws IOException {
        clientSide.send(ByteBuffer.wrap(datagram), client);
    }

    void block(boolean blocked) {
        blockUp = blocked;
        blockDown = blocked;
    }

    private void pumpUp() {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        try {
            while (true) {
                buf.clear();
                SocketAddress from = clientSide.receive(buf);
                client = from;
                buf.flip();
                if (blockUp) {
                    dropped.incrementAndGet();
                    continue;
                }
                relaySide.send(buf, relay);
            }
        } catch (ClosedChannelException closed) {
            // stopped
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void pumpDown() {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        byte[] held = null;
        try {
            while (true) {
                buf.clear();
                relaySide.receive(buf);
                buf.flip();
                byte[] d = new byte[buf.remaining()];
                buf.get(d);
                if (blockDown) {
                    dropped.incrementAndGet();
                    continue;
                }
                Action action = d.length > 1 && d[1] == 1 ? down.on(downMedia.getAndIncrement()) : Action.PASS;
                switch (action) {
                    case DROP -> dropped.incrementAndGet();
                    case DUPLICATE -> {
                        toClient(d);
                        toClient(d);
                    }
                    case HOLD_UNTIL_NEXT -> held = d;
                    case PASS -> toClient(d);
                }
                if (held != null && action != Action.HOLD_UNTIL_NEXT) {
                    toClient(held);
                    held = null;
                }
            }
        } catch (ClosedChannelException closed) {
            // stopped
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void toClient(byte[] d) throws IOException {
        if (d.length > 1 && d[1] == 1) {
            lastMediaToClient = d;
        }
        clientSide.send(ByteBuffer.wrap(Arrays.copyOf(d, d.length)), client);
    }

    @Override
    public void close() throws Exception {
        clientSide.close();
        relaySide.close();
        upThread.join(5000);
        downThread.join(5000);
    }
}
