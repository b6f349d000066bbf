package dev.odinreactive.it.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A loopback proxy in front of the server: TCP and UDP on one port number (like the server),
 * forwarding to the server's port. {@link #blockUdp} drops every datagram both ways (a firewall
 * without a firewall) and counts them; {@link #filter} hands every other datagram to a
 * {@link DatagramFilter} that may drop, delay, duplicate or reorder it ({@link LossyLink});
 * {@link #cutTcp()} breaks the open TCP connections (a network failure; new ones still work).
 * Threads are daemons; {@link #close()} stops everything.
 */
final class BlockingProxy implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int target;
    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final Map<SocketAddress, DatagramSocket> upstream = new ConcurrentHashMap<>();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private final List<Socket> tcpLinks = new CopyOnWriteArrayList<>();
    private volatile boolean blocked;
    private volatile DatagramFilter filter = (uplink, client, datagram, out) -> out.accept(datagram);
    private volatile boolean closed;
    final AtomicLong udpDropped = new AtomicLong();
    final AtomicLong udpForwarded = new AtomicLong();

    BlockingProxy(int targetPort) throws IOException {
        this.target = targetPort;
        ServerSocket t = null;
        DatagramSocket u = null;
        for (int attempt = 0; attempt < 20 && u == null; attempt++) {
            t = new ServerSocket(0, 50, LOOPBACK);
            try {
                u = new DatagramSocket(new InetSocketAddress(LOOPBACK, t.getLocalPort()));
            } catch (IOException taken) {
                t.close();
            }
        }
        if (u == null) {
            throw new IOException("no port free for both TCP and UDP");
        }
        this.tcp = t;
        this.udp = u;
        start("proxy-accept", this::acceptLoop);
        start("proxy-udp", this::udpLoop);
    }

    int port() {
        return tcp.getLocalPort();
    }

    void blockUdp(boolean block) {
        blocked = block;
    }

    /**
     * Decides the fate of each datagram that is not blocked: forwards it through {@code out} now,
     * later (from any thread), more than once, or never. {@code client} is the client's address
     * (uplink: the sender; downlink: the receiver); {@code datagram} is the filter's own copy.
     */
    interface DatagramFilter {
        void filter(boolean uplink, SocketAddress client, byte[] datagram, Consumer<byte[]> out);
    }

    /** Routes every later datagram through {@code f}. */
    void filter(DatagramFilter f) {
        filter = f;
    }

    /** Closes every TCP connection relayed so far (both ends see a reset); the proxy keeps accepting. */
    void cutTcp() {
        for (Socket s : tcpLinks) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        tcpLinks.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = tcp.accept();
                Socket server = new Socket(LOOPBACK, target);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                open.add(client);
                open.add(server);
                tcpLinks.add(client);
                tcpLinks.add(server);
                start("proxy-up", () -> pump(client, server));
                start("proxy-down", () -> pump(server, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // connection ended
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void udpLoop() {
        byte[] buf = new byte[2048];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                return;
            }
            if (blocked) {
                udpDropped.incrementAndGet();
                continue;
            }
            SocketAddress client = p.getSocketAddress();
            try {
                DatagramSocket up = upstream.computeIfAbsent(client, c -> openUpstream(c));
                InetSocketAddress server = new InetSocketAddress(LOOPBACK, target);
                filter.filter(true, client, Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength()),
                        d -> send(up, d, server));
            } catch (RuntimeException e) {
                // dropped
            }
        }
    }

    private void send(DatagramSocket socket, byte[] datagram, SocketAddress to) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, to));
            udpForwarded.incrementAndGet();
        } catch (IOException e) {
            // socket closed: dropped
        }
    }

    private DatagramSocket openUpstream(SocketAddress client) {
        try {
            DatagramSocket up = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            open.add(up);
            start("proxy-udp-down", () -> {
                byte[] buf = new byte[2048];
                while (!closed) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        up.receive(p);
                        if (blocked) {
                            udpDropped.incrementAndGet();
                            continue;
                        }
                        filter.filter(false, client, Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength()),
                                d -> send(udp, d, client));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            return up;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws Exception {
        closed = true;
        tcp.close();
        udp.close();
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }
}
