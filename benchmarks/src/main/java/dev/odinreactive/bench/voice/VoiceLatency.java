package dev.odinreactive.bench.voice;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.server.OdinServer;
import dev.odinreactive.server.RunningServer;
import dev.odinreactive.server.ServerConfig;
import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.TokenGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import reactor.core.publisher.Sinks;

/**
 * Mouth-to-ear latency on loopback: an embedded server, two peers; the talker pushes 20 ms frames
 * in real time into a live {@link LocalMedia} (a quiet tone keeps the talk decision on, a click
 * every {@code interval}); the listener watches {@link RemoteMedia#frames()} for the click. The
 * latency of one click is the time from pushing its frame to the emission of the first output
 * frame containing it (encode, seal, UDP, relay, jitter buffer, decode). Prints p50/p90/p99/max.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar:... dev.odinreactive.bench.voice.VoiceLatency [clicks] [intervalMs]</pre>
 */
public final class VoiceLatency {

    public static void main(String[] args) throws Exception {
        int clicks = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int intervalMs = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        AccessKey key = AccessKey.generate();
        TokenGenerator tokens = TokenGenerator.create(key);
        RunningServer server = OdinServer.builder().config(ServerConfig.defaults()).trust(key).start().block();
        OdinClient client = OdinClient.create();
        try {
            Room talker = client.room().join(server.gatewayUrl(), tokens.createToken("lat", "talker").block()).block();
            Room listener = client.room().join(server.gatewayUrl(), tokens.createToken("lat", "listener").block()).block();
            BlockingQueue<RemoteMedia> added = new ArrayBlockingQueue<>(1);
            listener.events().ofType(RoomEvent.MediaAdded.class).subscribe(a -> added.offer(a.media()));

            Sinks.Many<float[]> mic = Sinks.many().unicast().onBackpressureBuffer();
            LocalMedia media = LocalMedia.create(AudioFormat.OPUS_MONO, mic.asFlux());
            talker.addMedia(media).block(Duration.ofSeconds(10));
            RemoteMedia remote = added.poll(10, TimeUnit.SECONDS);
            if (remote == null) {
                throw new IllegalStateException("no MediaAdded at the listener");
            }
            java.util.concurrent.atomic.AtomicLongArray pushedAt = new java.util.concurrent.atomic.AtomicLongArray(clicks);
            long[] heardAt = new long[clicks]; // written by the playout thread
            java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger pushed = new java.util.concurrent.atomic.AtomicInteger();
            boolean[] inClick = {false};
            remote.frames().subscribe(f -> {
                long now = System.nanoTime();
                float peak = 0;
                for (float v : f) {
                    peak = Math.max(peak, Math.abs(v));
                }
                boolean click = peak > 0.25f;
                int n = pushed.get();
                // a heard click belongs to the latest click pushed before it (clicks are further apart than the latency)
                if (click && !inClick[0] && n > 0 && heardAt[n - 1] == 0) {
                    heardAt[n - 1] = now;
                    heard.incrementAndGet();
                }
                inClick[0] = click;
            });

            int framesPerClick = intervalMs / 20;
            int warmup = 100; // 2 s of tone to warm up the JIT and the stream
            long start = System.nanoTime();
            int sent = 0;
            for (long frame = 0; sent < clicks; frame++) {
                long due = start + frame * 20_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                float[] f = new float[960];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) (0.01 * Math.sin(2 * Math.PI * 200 * (frame * 960 + i) / 48_000.0));
                }
                boolean click = frame >= warmup && (frame - warmup) % framesPerClick == 0;
                if (click) {
                    for (int i = 0; i < 48; i++) {
                        f[i] += (i % 2 == 0 ? 0.9f : -0.9f);
                    }
                    pushedAt.set(sent, System.nanoTime());
                    pushed.set(++sent);
                }
                mic.tryEmitNext(f);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (heard.get() < clicks && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000L);
            }
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < clicks; i++) {
                if (heardAt[i] != 0) {
                    ms.add((heardAt[i] - pushedAt.get(i)) / 1e6);
                }
            }
            double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("clicks pushed %d, heard %d%n", clicks, sorted.length);
            if (sorted.length > 0) {
                System.out.printf("mouth-to-ear latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (min %.1f)%n",
                        pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted[sorted.length - 1], sorted[0]);
            }
            System.out.println("remote stats: " + remote.stats());
            System.out.println("local stats: " + media.stats());
            media.close().block(Duration.ofSeconds(5));
        } finally {
            client.disposeLater().block(Duration.ofSeconds(10));
            server.disposeNow(Duration.ofSeconds(10));
        }
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
