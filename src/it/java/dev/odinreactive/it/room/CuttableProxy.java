package dev.odinreactive.it.room;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP relay whose connections the test can cut, to simulate a network failure
 * between one client and a server that stays up. Real sockets on both sides.
 */
final class CuttableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Socket[]> links = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean refusing;

    CuttableProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "it-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket down = listener.accept();
                if (refusing) {
                    closeQuietly(down); // the "network" is down: connections die at once
                    continue;
                }
                Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                synchronized (links) {
                    links.add(new Socket[] {down, up});
                }
                pump(down, up);
                pump(up, down);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // cut or closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "it-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Number of connections relayed so far (cut or not). */
    int connections() {
        synchronized (links) {
            return links.size();
        }
    }

    /** Cuts the {@code index}-th relayed connection (0 = first) on both sides. */
    void cut(int index) {
        Socket[] link;
        synchronized (links) {
            link = links.get(index);
        }
        closeQuietly(link[0]);
        closeQuietly(link[1]);
    }

    /** While true, new connections are closed right after accept (an outage). */
    void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    @Override
    public void close() {
        closeQuietly(listener);
        synchronized (links) {
            for (Socket[] l : links) {
                closeQuietly(l[0]);
                closeQuietly(l[1]);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort
        }
    }
}
