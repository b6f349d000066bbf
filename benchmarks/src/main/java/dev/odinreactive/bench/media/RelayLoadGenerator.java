package dev.odinreactive.bench.media;

import dev.odinreactive.protocol.media.MediaKey;
import dev.odinreactive.protocol.media.internal.MediaAead;
import dev.odinreactive.protocol.media.internal.MediaWire;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load side of the relay capacity harness (not run by verify). Registers every session of
 * {@link RelayBenchServer} (HELLO), then sends media datagrams (80-byte payload, i.e. 122-byte
 * datagrams, each media at most 50 packets/s as ODIN's limit allows) at {@code rate} packets/s
 * for {@code seconds}, and counts what the listeners receive. Prints inbound loss at the relay
 * (datagrams sent vs. datagrams the relay read), relay drops, forwarded packets/s, and the
 * end-to-end delivery seen by the listeners. Run on the other core:
 *
 * <pre>taskset -c 1 java -cp benchmarks/target/benchmarks.jar dev.odinreactive.bench.media.RelayLoadGenerator \
 *     --dir /tmp/relaybench --rate 25000 --seconds 10</pre>
 */
public final class RelayLoadGenerator {

    private static final int PAYLOAD = 80;
    private static final int MEDIAS_PER_SENDER = 5;

    private RelayLoadGenerator() {
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return m;
    }

    private record Sender(int sessionId, MediaAead sealer, int[] seq) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        Path dir = Path.of(a.getOrDefault("dir", "/tmp/relaybench"));
        int rate = Integer.parseInt(a.getOrDefault("rate", "25000"));
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "10"));
        int receiveSockets = Integer.parseInt(a.getOrDefault("sockets", "4"));

        List<String> lines = Files.readAllLines(dir.resolve("keys.txt"));
        InetSocketAddress relay = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                Integer.parseInt(lines.get(0).split(" ")[1]));
        relayAddress = relay;
        List<Sender> senders = new ArrayList<>();
        List<MediaAead> listeners = new ArrayList<>();
        List<Integer> listenerIds = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(" ");
            int id = Integer.parseInt(f[2]);
            MediaAead sealer = MediaAead.sealer(new MediaKey(id, hex.parseHex(f[3])));
            if (f[0].equals("sender")) {
                senders.add(new Sender(id, sealer, new int[MEDIAS_PER_SENDER]));
            } else {
                listeners.add(sealer);
                listenerIds.add(id);
            }
        }
        int streams = senders.size() * MEDIAS_PER_SENDER;
        if (rate > streams * 50L) {
            System.out.printf("rate %d exceeds %d streams x 50/s: the relay's token buckets would drop; use more senders%n",
                    rate, streams);
            return;
        }
        int fanout = listeners.size() / senders.size();

        EventLoopGroup sendGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup recvGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        AtomicLong media = new AtomicLong();
        AtomicLong acks = new AtomicLong();
        Channel out = bind(sendGroup, new Counter(media, acks));
        List<Channel> ins = new ArrayList<>();
        for (int i = 0; i < receiveSockets; i++) {
            ins.add(bind(recvGroup, new Counter(media, acks)));
        }

        // register every session (senders on the sending socket, listeners spread over the others)
        int sessions = senders.size() + listeners.size();
        for (int attempt = 0; attempt < 3 && acks.get() < sessions; attempt++) {
            acks.set(0);
            CountDownLatch sent = new CountDownLatch(1);
            sendGroup.execute(() -> {
                for (Sender s : senders) {
                    out.write(hello(out, s.sealer()));
                }
                out.flush();
                sent.countDown();
            });
            sent.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < listeners.size(); i++) {
                Channel c = ins.get(i % ins.size());
                c.writeAndFlush(hello(c, listeners.get(i)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (acks.get() < sessions && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        System.out.printf("registered %d/%d sessions; %d senders x %d medias, fan-out %d, rate %d pkt/s, %.0f s%n",
                acks.get(), sessions, senders.size(), MEDIAS_PER_SENDER, fanout, rate, seconds);
        double warmup = Double.parseDouble(a.getOrDefault("warmup", "8"));
        // warm-up (JIT) at the same rate, not measured
        paced(sendGroup, out, senders, streams, rate, (long) (rate * warmup));
        long[] before = waitQuiet(dir);
        media.set(0);
        long total = (long) (rate * seconds);
        long start = System.nanoTime();
        paced(sendGroup, out, senders, streams, rate, total);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] after = waitQuiet(dir);
        long relayIn = after[0] - before[0];
        long forwarded = after[1] - before[1];
        long dropped = after[2] - before[2];
        long seals = after[4] - before[4];
        long relayCpu = after[6] - before[6];
        long expected = total * fanout;
        System.out.printf("sent %d in %.2f s (%.0f pkt/s); relay read %d (inbound loss %.3f %%), dropped %d%n",
                total, elapsed, total / elapsed, relayIn, 100.0 * (total - relayIn) / total, dropped);
        System.out.printf("forwarded %d = %.0f pkt/s (expected %d, relay-side loss %.3f %%); seals per inbound packet %.2f%n",
                forwarded, forwarded / elapsed, expected, 100.0 * (expected - forwarded) / expected, (double) seals / relayIn);
        // waitQuiet adds ~0.6 s of idle polling after the run: CPU time is charged to the packets
        System.out.printf("relay CPU %.2f s = %.0f ns per forwarded packet (%.0f ns per inbound) -> %.0f forwarded pkt/s per core of relay CPU%n",
                relayCpu / 1e9, (double) relayCpu / forwarded, (double) relayCpu / relayIn, forwarded * 1e9 / relayCpu);
        System.out.printf("listeners received %d (%.3f %% of expected; below 100 %% when this generator cannot read fast enough)%n",
                media.get(), 100.0 * media.get() / expected);
        out.close();
        ins.forEach(Channel::close);
        sendGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        recvGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Sends {@code total} media datagrams paced at {@code rate}/s from the channel's event loop. */
    private static void paced(EventLoopGroup sendGroup, Channel out, List<Sender> senders, int streams, int rate, long total)
            throws InterruptedException {
        AtomicLong sentCount = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        long start = System.nanoTime();
        sendGroup.execute(new Runnable() {
            int next;

            @Override
            public void run() {
                long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate));
                long n = sentCount.get();
                while (n < due) {
                    int streamIndex = next++ % streams;
                    Sender s = senders.get(streamIndex / MEDIAS_PER_SENDER);
                    int m = streamIndex % MEDIAS_PER_SENDER;
                    out.write(media(out, s, m), out.voidPromise());
                    n++;
                    if ((n & 63) == 0) {
                        out.flush();
                    }
                }
                out.flush();
                sentCount.set(n);
                if (n >= total) {
                    done.countDown();
                } else {
                    sendGroup.schedule(this, 1, TimeUnit.MILLISECONDS);
                }
            }
        });
        done.await();
    }

    /** Waits until the relay's counters stop moving (it drained its socket); returns them. */
    private static long[] waitQuiet(Path dir) throws Exception {
        long[] last = readStats(dir);
        while (true) {
            Thread.sleep(300); // polling the stats file the server rewrites every 100 ms
            long[] again = readStats(dir);
            if (again[0] == last[0] && again[1] == last[1]) {
                return again;
            }
            last = again;
        }
    }

    private static long[] readStats(Path dir) throws Exception {
        String[] f = Files.readString(dir.resolve("stats.txt")).trim().split(" ");
        long[] v = new long[7];
        for (int i = 0; i < 7; i++) {
            v[i] = Long.parseLong(f[i]);
        }
        return v;
    }

    private static Channel bind(EventLoopGroup group, Counter counter) throws InterruptedException {
        return new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 1500)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(1500 * 64))
                .option(ChannelOption.MAX_MESSAGES_PER_READ, 64)
                .handler(counter)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    private static DatagramPacket hello(Channel c, MediaAead sealer) {
        byte[] src = new byte[MediaWire.COMMON_HEADER + MediaWire.CONTROL_BODY];
        MediaWire.writeCommonHeader(src, MediaWire.TYPE_HELLO, 0, sealer.keyId(), sealer.nextPacketNumber());
        byte[] sealed = new byte[MediaWire.CONTROL_DATAGRAM];
        sealer.seal(src, MediaWire.COMMON_HEADER, MediaWire.CONTROL_BODY, sealed);
        return new DatagramPacket(c.alloc().directBuffer(sealed.length).writeBytes(sealed), relayOf(c));
    }

    private static final byte[] SRC = new byte[MediaWire.MEDIA_HEADER + PAYLOAD];
    private static final byte[] SEALED = new byte[MediaWire.MEDIA_HEADER + PAYLOAD + MediaWire.TAG];
    private static InetSocketAddress relayAddress;

    private static InetSocketAddress relayOf(Channel c) {
        return relayAddress;
    }

    /** Seals one media datagram (event loop of the sending channel only: shared scratch arrays). */
    private static DatagramPacket media(Channel c, Sender s, int m) {
        int seq = s.seq()[m]++;
        MediaWire.writeCommonHeader(SRC, MediaWire.TYPE_MEDIA, 0, s.sessionId(), s.sealer().nextPacketNumber());
        MediaWire.writeMediaFields(SRC, m + 1, seq, seq * 1800);
        int len = s.sealer().seal(SRC, MediaWire.MEDIA_HEADER, PAYLOAD, SEALED);
        return new DatagramPacket(c.alloc().directBuffer(len).writeBytes(SEALED, 0, len), relayOf(c));
    }

    /** Counts media datagrams and HELLO_ACKs without opening them. */
    private static final class Counter extends ChannelInboundHandlerAdapter {
        private final AtomicLong media;
        private final AtomicLong acks;

        Counter(AtomicLong media, AtomicLong acks) {
            this.media = media;
            this.acks = acks;
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = ((DatagramPacket) msg).content();
            int type = b.getByte(b.readerIndex() + 1);
            if (type == MediaWire.TYPE_MEDIA) {
                media.incrementAndGet();
            } else if (type == MediaWire.TYPE_HELLO_ACK) {
                acks.incrementAndGet();
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
