package dev.odinreactive.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.io.OggOpusFile;
import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.audio.opus.OpusDecoder;
import dev.odinreactive.audio.opus.OpusEncoder;
import dev.odinreactive.cli.internal.CtrlC;
import dev.odinreactive.cli.internal.DurationConverter;
import dev.odinreactive.cli.internal.LatencyMeter;
import dev.odinreactive.cli.internal.Levels;
import dev.odinreactive.cli.internal.OnsetDetector;
import dev.odinreactive.cli.internal.SpeechClips;
import dev.odinreactive.cli.internal.Terminal;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.LocalMediaStats;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.RemoteMediaStats;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.protocol.media.MediaTransportStats;
import dev.odinreactive.server.OdinServer;
import dev.odinreactive.server.RunningServer;
import dev.odinreactive.server.ServerConfig;
import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.TokenGenerator;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@code odin demo}: a voice room on this machine. Starts the embedded server on loopback with a
 * fresh access key, joins bots that speak the bundled clips in a loop (paced in real time),
 * exchange user data and messages, and records the room's mix from an extra listener peer to an
 * Ogg Opus file. Shows a live view while it runs and a summary at the end (frames, losses,
 * mouth-to-ear latency measured on talk-spurt onsets).
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
                "Run a voice room on this machine: an embedded server, bots speaking short clips and a listener",
                "recording the room's mix. Shows who talks, stream stats and RTT live; prints a summary at the end."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done (also after Ctrl-C)", "1:the demo failed", "2:bad input"})
final class DemoCommand implements Callable<Integer> {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int FRAME_SAMPLES = AudioFormat.OPUS_MONO.samplesPerChannel(20);
    /** Silence between two loops of a clip: long enough for a talk spurt to end (and its onset to be measured). */
    private static final int GAP_SAMPLES = AudioFormat.OPUS_MONO.samplesPerChannel(800);
    private static final String[] NAMES = {"Ada", "Bob", "Cyd", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kim", "Lou"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = {"-d", "--duration"}, paramLabel = "D", defaultValue = "20s", converter = DurationConverter.class,
            description = "How long the bots talk (e.g. 500ms, 20s, 2m). Default: ${DEFAULT-VALUE}.")
    private Duration duration;

    @Option(names = {"-n", "--peers"}, paramLabel = "N", defaultValue = "3",
            description = "Number of speaking bots, 1-" + 12 + ". Default: ${DEFAULT-VALUE}.")
    private int peers;

    @Option(names = {"-o", "--recording"}, paramLabel = "FILE", defaultValue = "demo-recording.opus",
            description = "Where to record the room's mix (Ogg Opus). Default: ${DEFAULT-VALUE}.")
    private Path recording;

    @Option(names = "--json", description = "Print the summary as one JSON object on the last line.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        if (peers < 1 || peers > NAMES.length) {
            throw new IllegalArgumentException("--peers must be 1-" + NAMES.length + ", not " + peers);
        }
        PrintWriter out = spec.commandLine().getOut();
        // Ctrl-C: stop talking, finalise the recording, release everything, then let the JVM exit.
        try (CtrlC ctrlC = CtrlC.install("odin-demo", WAIT); Demo demo = new Demo(out)) {
            demo.start();
            demo.run(ctrlC);
            Summary summary = demo.finish();
            summary.print(out, json);
            return 0;
        }
    }

    /** One run: the server, the client, the bots, the listener; {@link #close()} releases them all. */
    private final class Demo implements AutoCloseable {

        private final PrintWriter out;
        private final AccessKey key = AccessKey.generate();
        private final TokenGenerator tokens = TokenGenerator.create(key);
        private final List<Bot> bots = new CopyOnWriteArrayList<>();
        private final LatencyMeter latency = new LatencyMeter();
        private final AtomicInteger messagesHeard = new AtomicInteger();
        private final AtomicReference<String> lastMessage = new AtomicReference<>("");
        private final List<Disposable> subscriptions = new ArrayList<>();
        private final Sinks.One<Boolean> stopRecording = Sinks.one();
        private RunningServer server;
        /** One client per peer, as on separate machines: each has its own audio thread. */
        private final List<OdinClient> clients = new CopyOnWriteArrayList<>();
        private Room listener;
        private Mono<Long> recorded;
        private long startedAt;

        Demo(PrintWriter out) {
            this.out = out;
        }

        void start() {
            // decoding the clips takes a moment: do it while the server starts, and warm the encoder
            // up on them (a cold Concentus encoder runs many times slower than real time)
            List<CompletableFuture<AudioClip>> clips = IntStream.range(0, Math.min(peers, SpeechClips.COUNT))
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> SpeechClips.load(i)))
                    .toList();
            CompletableFuture<Void> warm = clips.get(0).thenAccept(DemoCommand::warmUp);
            ServerConfig config = ServerConfig.defaults().withHttp(ServerConfig.Http.defaults().withBinding("127.0.0.1", 0));
            server = OdinServer.builder().config(config).trust(key).start().block(WAIT);
            out.println("odin demo: server on " + server.gatewayUrl() + " (key id " + key.keyId() + "), "
                    + peers + " bots, " + format(duration) + ", recording to " + recording);
            out.flush();

            // The listener joins first, so it sees every bot join (user data) and start talking (media).
            listener = newClient().room().userData(userData("Listener", "records the mix"))
                    .join(server.gatewayUrl(), token("listener")).block(WAIT);
            Map<Long, String> names = new ConcurrentHashMap<>();
            subscriptions.add(listener.events().subscribe(e -> onListenerEvent(e, names)));
            recorded = listener.mix()
                    .takeUntilOther(stopRecording.asMono())
                    .as(OggOpusFile.sink(recording, OpusConfig.defaults().withComplexity(5))) // CPU for the live peers
                    .cache();
            subscriptions.add(recorded.subscribe(n -> { }, e -> { }));

            warm.join();
            for (int i = 0; i < peers; i++) {
                Bot bot = new Bot(NAMES[i], clips.get(i % clips.size()).join(), i * 60); // bots start 1.2 s apart
                bots.add(bot); // before its media exists, so the listener finds it on MediaAdded
                bot.room = newClient().room().userData(userData(bot.name, "clip" + (i % SpeechClips.COUNT) + ".opus"))
                        .join(server.gatewayUrl(), token(bot.name.toLowerCase(Locale.ROOT))).block(WAIT);
                // paced: the room's own audio thread pulls one 20 ms frame per 20 ms and catches up after
                // a stall (a live source would drop frames instead)
                bot.media = LocalMedia.paced(AudioFormat.OPUS_MONO, bot.voice(latency));
                bot.room.addMedia(bot.media).block(WAIT);
                // bots are mouths, not ears: the server need not forward them the others' voices,
                // nor need they decode them (on a loaded machine every stream costs)
                subscriptions.add(bot.room.events().ofType(RoomEvent.MediaAdded.class)
                        .subscribe(m -> m.media().pause().subscribe(v -> { }, e -> { })));
            }
            for (Bot bot : bots) {
                bot.room.sendMessage(message(bot.name, "Hi, I am " + bot.name + ". Can you hear me?")).block(WAIT);
            }
            startedAt = System.nanoTime();
        }

        private void onListenerEvent(RoomEvent e, Map<Long, String> names) {
            if (e instanceof RoomEvent.Joined j) {
                j.peers().forEach(p -> names.put(p.id(), nameOf(p.userData().toByteArray(), p.userId())));
            } else if (e instanceof RoomEvent.PeerJoined j) {
                names.put(j.peer().id(), nameOf(j.peer().userData().toByteArray(), j.peer().userId()));
            } else if (e instanceof RoomEvent.MessageReceived m) {
                messagesHeard.incrementAndGet();
                lastMessage.set(textOf(m.message().toByteArray()));
            } else if (e instanceof RoomEvent.MediaAdded a) {
                Bot bot = bots.stream().filter(b -> b.name.equals(names.get(a.peerId()))).findFirst()
                        .orElse(null);
                if (bot != null) {
                    listenTo(bot, a.media());
                }
            }
        }

        /** Levels for the VU meter and onsets for the latency, from what the listener hears of a bot. */
        private void listenTo(Bot bot, RemoteMedia media) {
            bot.heard = media;
            OnsetDetector onsets = new OnsetDetector(Bot.ONSET, Bot.SILENCE, Bot.MIN_SILENT_FRAMES);
            subscriptions.add(media.frames().subscribe(f -> {
                long now = System.nanoTime();
                float peak = Levels.peak(f);
                bot.heardPeak = peak;
                if (peak > Bot.SILENCE) {
                    bot.lastHeardAt = now;
                }
                if (onsets.onset(peak)) {
                    latency.heard(bot.name, now);
                }
            }));
        }

        /** Shows the live view every 500 ms until the duration is over or {@code stop} (Ctrl-C). */
        void run(CtrlC stop) throws InterruptedException {
            LiveView view = new LiveView(out, Terminal.isInteractive() && !json);
            long end = startedAt + duration.toNanos();
            boolean halfway = false;
            while (!stop.await(Duration.ofNanos(Math.min(500_000_000L, end - System.nanoTime())))
                    && System.nanoTime() < end) {
                if (!halfway && System.nanoTime() > startedAt + duration.toNanos() / 2) {
                    halfway = true;
                    Bot first = bots.get(0);
                    first.room.sendMessage(message(first.name, "Half-time. Everybody still there?")).subscribe(v -> { }, e -> { });
                }
                view.show(viewLines(), plainLine());
            }
            view.show(viewLines(), plainLine());
        }

        private List<String> viewLines() {
            double t = (System.nanoTime() - startedAt) / 1e9;
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "t %5.1f s / %s   room \"demo\"   %d peers + listener   messages %d",
                    t, format(duration), bots.size(), messagesHeard.get()));
            lines.add(String.format(Locale.ROOT, "  %-5s %-4s %-20s %7s %7s %5s %5s %8s", "peer", "talk", "level", "sent", "recv", "lost", "late", "rtt"));
            for (Bot b : bots) {
                Stats s = b.stats();
                lines.add(String.format(Locale.ROOT, "  %-5s %-4s %-20s %7d %7d %5d %5d %8s", b.name, b.talking() ? " >>" : "",
                        Levels.bar(b.heardPeak, 20), s.sent, s.received, s.lost, s.late, s.rtt));
            }
            lines.add("  last message: " + lastMessage.get());
            return lines;
        }

        /** The view on one line, for logs and pipes. */
        private String plainLine() {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "t %.1f s", (System.nanoTime() - startedAt) / 1e9));
            for (Bot b : bots) {
                Stats s = b.stats();
                line.append(String.format(Locale.ROOT, " | %s%s sent %d recv %d lost %d late %d rtt %s", b.name,
                        b.talking() ? " (talking)" : "", s.sent, s.received, s.lost, s.late, s.rtt));
            }
            return line.append(" | messages ").append(messagesHeard.get()).toString();
        }

        Summary finish() {
            double seconds = (System.nanoTime() - startedAt) / 1e9;
            Map<String, Stats> stats = new LinkedHashMap<>();
            bots.forEach(b -> stats.put(b.name, b.stats()));
            bots.forEach(b -> b.media.close().block(WAIT));
            stopRecording.tryEmitValue(true);
            Long samples = recorded.block(WAIT);
            return new Summary(seconds, stats, latency, messagesHeard.get(), recording.toAbsolutePath(),
                    samples == null ? 0 : samples / 48_000.0,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }

        @Override
        public void close() {
            stopRecording.tryEmitValue(true);
            subscriptions.forEach(Disposable::dispose);
            Flux.fromIterable(clients).flatMap(OdinClient::disposeLater).then().block(WAIT);
            if (server != null) {
                server.disposeNow(WAIT);
            }
        }

        private OdinClient newClient() {
            // one network thread per client: each peer is a client of its own, as on separate machines
            // and a patient join: a loaded machine can take seconds for a cold JVM's first one
            OdinClient client = OdinClient.builder().eventLoopThreads(1).joinTimeout(WAIT).build();
            clients.add(client);
            return client;
        }

        private String token(String user) {
            return tokens.createToken("demo", user).block(WAIT);
        }
    }

    /** A speaking peer: its room, its voice (a clip looped with pauses) and what the listener hears of it. */
    private static final class Bot {
        static final float ONSET = 0.05f;
        static final float SILENCE = 0.01f;
        static final int MIN_SILENT_FRAMES = 10;
        /** A frame pulled later than this after its due time went out in a catch-up burst. */
        static final long LATE_NANOS = 60_000_000L;

        final String name;
        final float[] clip;
        final int framesToWait;
        final java.util.concurrent.atomic.AtomicLong late = new java.util.concurrent.atomic.AtomicLong();
        Room room;
        LocalMedia media;
        volatile RemoteMedia heard;
        volatile float heardPeak;
        volatile long lastHeardAt;

        Bot(String name, AudioClip clip, int framesToWait) {
            this.name = name;
            this.clip = clip.samples();
            this.framesToWait = framesToWait;
        }

        /**
         * The clip looped with pauses, in 20 ms frames, endless; for {@link LocalMedia#paced}, which
         * releases frame n at (subscription + n * 20 ms): that due time is when a talk spurt's
         * first frame is "said" (the mouth of mouth-to-ear latency).
         */
        Flux<float[]> voice(LatencyMeter latency) {
            return Flux.defer(() -> {
                long start = System.nanoTime();
                OnsetDetector onsets = new OnsetDetector(ONSET, SILENCE, MIN_SILENT_FRAMES);
                int cycle = clip.length + GAP_SAMPLES;
                return Flux.<float[], Long>generate(() -> 0L, (n, sink) -> {
                    float[] frame = new float[FRAME_SAMPLES];
                    long spoken = n - framesToWait;
                    if (spoken >= 0) {
                        for (int i = 0; i < frame.length; i++) {
                            int p = (int) ((spoken * FRAME_SAMPLES + i) % cycle);
                            frame[i] = p < clip.length ? clip[p] : 0f;
                        }
                    }
                    long due = start + n * 20_000_000L;
                    if (onsets.onset(Levels.peak(frame))) {
                        latency.pushed(name, due);
                    }
                    if (System.nanoTime() - due > LATE_NANOS) {
                        late.incrementAndGet();
                    }
                    sink.next(frame);
                    return n + 1;
                });
            });
        }

        /** Whether the listener heard it in the last 300 ms. */
        boolean talking() {
            long at = lastHeardAt;
            return at != 0 && System.nanoTime() - at < 300_000_000L;
        }

        /** Its sending side, and its stream as the listener received it. */
        Stats stats() {
            RemoteMedia h = heard;
            RemoteMediaStats s = h == null ? null : h.stats();
            long received = s == null ? 0 : s.packetsProcessed();
            long lost = s == null ? 0 : s.packetsLost();
            MediaTransportStats transport = room.mediaStats();
            String rtt = transport == null ? "-" : String.format(Locale.ROOT, "%.1f ms", transport.rtt().toNanos() / 1e6);
            LocalMediaStats local = media.stats();
            return new Stats(local.packetsSent(), received, lost, local.chunksDropped(), late.get(), rtt);
        }
    }

    /**
     * Frames one bot sent and the listener received of it (Opus packets, 20 ms each), packets of
     * it the listener lost, voice frames
     * its media dropped before encoding, voice frames its audio thread took late (more than 60 ms
     * after their time: the machine could not keep up, they went out in a catch-up burst), its media RTT.
     */
    private record Stats(long sent, long received, long lost, long dropped, long late, String rtt) {
    }

    /** What the demo measured; printed for people or as one JSON line. */
    private record Summary(double seconds, Map<String, Stats> stats, LatencyMeter latency, int messages,
                           Path recording, double recordingSeconds, double loadAverage) {

        void print(PrintWriter out, boolean json) throws Exception {
            long lost = stats.values().stream().mapToLong(Stats::lost).sum();
            double p50 = latency.percentile(50);
            double p99 = latency.percentile(99);
            out.println();
            out.printf(Locale.ROOT, "summary after %.1f s, %d peers (load average %.1f on %d cores):%n", seconds, stats.size(),
                    loadAverage, Runtime.getRuntime().availableProcessors());
            stats.forEach((name, s) -> out.printf(Locale.ROOT, "  %-5s sent %6d frames, received %6d frames, lost %d packets, %d frames late, %d dropped before encoding%n",
                    name, s.sent, s.received, s.lost, s.late, s.dropped));
            out.printf(Locale.ROOT, "  mouth-to-ear latency: p50 %.1f ms, p99 %.1f ms (%d talk-spurt onsets)%n",
                    p50, p99, latency.count());
            out.printf(Locale.ROOT, "  messages heard by the listener: %d%n", messages);
            out.printf(Locale.ROOT, "  recording: %s (%.1f s of the room's mix; play: opusdec %s out.wav)%n",
                    recording, recordingSeconds, recording.getFileName());
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("peers", stats.size());
                j.put("duration_s", Math.round(seconds * 10) / 10.0);
                Map<String, Long> sent = new LinkedHashMap<>();
                Map<String, Long> received = new LinkedHashMap<>();
                stats.forEach((name, s) -> {
                    sent.put(name, s.sent);
                    received.put(name, s.received);
                });
                j.put("frames_sent", sent);
                j.put("frames_received", received);
                j.put("packets_lost", lost);
                j.put("frames_dropped", stats.values().stream().mapToLong(Stats::dropped).sum());
                j.put("frames_late", stats.values().stream().mapToLong(Stats::late).sum());
                j.put("recording_s", Math.round(recordingSeconds * 10) / 10.0);
                j.put("load_average", Math.round(loadAverage * 10) / 10.0);
                Map<String, Object> ms = new LinkedHashMap<>();
                ms.put("p50", Double.isNaN(p50) ? null : Math.round(p50 * 10) / 10.0);
                ms.put("p99", Double.isNaN(p99) ? null : Math.round(p99 * 10) / 10.0);
                ms.put("samples", latency.count());
                j.put("latency_ms", ms);
                j.put("messages", messages);
                j.put("recording", recording.toString());
                out.println(JSON.writeValueAsString(j));
            }
            out.flush();
        }
    }

    /** Redraws the view in place on a terminal; prints a plain line every other refresh otherwise. */
    private static final class LiveView {
        private final PrintWriter out;
        private final boolean ansi;
        private int shownLines;
        private int refreshes;

        LiveView(PrintWriter out, boolean ansi) {
            this.out = out;
            this.ansi = ansi;
        }

        void show(List<String> lines, String plainLine) {
            if (ansi) {
                if (shownLines > 0) {
                    out.print("\033[" + shownLines + "A");
                }
                for (String line : lines) {
                    out.print("\r\033[K" + line + "\n");
                }
                shownLines = lines.size();
            } else if (refreshes++ % 2 == 0) {
                out.println(plainLine); // not a terminal: one line per second
            }
            out.flush();
        }
    }

    /** Runs the Opus encoder and decoder over a clip, so the JIT has compiled them before the bots talk. */
    private static void warmUp(AudioClip clip) {
        try (OpusEncoder encoder = new OpusEncoder(OpusConfig.defaults().withComplexity(3));
             OpusDecoder decoder = OpusDecoder.createDefault()) {
            float[] s = clip.samples();
            for (int at = 0; at + FRAME_SAMPLES <= s.length; at += FRAME_SAMPLES) {
                decoder.decode(encoder.encode(java.util.Arrays.copyOfRange(s, at, at + FRAME_SAMPLES)));
            }
        }
    }

    private static byte[] userData(String name, String about) {
        return json(Map.of("name", name, "about", about));
    }

    private static byte[] message(String from, String text) {
        return json(Map.of("from", from, "text", text));
    }

    private static byte[] json(Map<String, String> value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code name} of a peer's JSON user data, else its user id. */
    private static String nameOf(byte[] userData, String userId) {
        try {
            JsonNode name = JSON.readTree(userData).get("name");
            return name != null && name.isTextual() ? name.asText() : userId;
        } catch (Exception notJson) {
            return userId;
        }
    }

    private static String textOf(byte[] message) {
        try {
            JsonNode m = JSON.readTree(message);
            return m.path("from").asText("?") + ": " + m.path("text").asText("");
        } catch (Exception notJson) {
            return new String(message, StandardCharsets.UTF_8);
        }
    }

    private static String format(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
