package dev.odinreactive.cli;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.apm.ApmConfig;
import dev.odinreactive.cli.internal.ApmOptions;
import dev.odinreactive.cli.internal.AudioFiles;
import dev.odinreactive.cli.internal.CtrlC;
import dev.odinreactive.cli.internal.DurationConverter;
import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.TokenGenerator;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@code odin join}: a bot from the command line. Joins a room, prints its events as they happen,
 * optionally plays a file into the room, records the mix and/or one file per remote stream, and
 * echoes what it hears; its own media runs through the APM only if APM flags ({@link ApmOptions})
 * ask for it. Leaves after {@code --duration} (or on Ctrl-C), finalising its files. A recording
 * that cannot be written (open, write or finalise fails) makes it leave at once and exit 1 with
 * the file and the reason.
 */
@Command(name = "join",
        mixinStandardHelpOptions = true,
        description = {
                "Join a room as a bot: print events, play a WAV/Ogg Opus file, record the mix and/or each peer",
                "(.wav or .opus by extension), echo what it hears. No audio processing unless APM flags (--ns, --aec, ...) ask.",
                "Leaves after --duration or on Ctrl-C, finalising its files."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:left the room (duration over, Ctrl-C)", "1:failed (join rejected, connection lost, a recording could not be written)", "2:bad input"})
final class JoinCommand implements Callable<Integer> {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Option(names = {"-g", "--gateway"}, required = true, paramLabel = "URL",
            description = "Gateway (or server) URL, e.g. http://127.0.0.1:4433 from `odin server`.")
    private String gateway;

    @Option(names = {"-t", "--token"}, paramLabel = "TOKEN", description = "A room token (else give --access-key, --room, --user).")
    private String token;

    @Option(names = {"-k", "--access-key"}, paramLabel = "KEY", defaultValue = "${env:" + TokenCommand.ACCESS_KEY_ENV + "}",
            description = "Sign a token with this access key (default: the environment variable " + TokenCommand.ACCESS_KEY_ENV + ").")
    private String accessKey;

    @Option(names = {"-r", "--room"}, paramLabel = "ROOM", description = "Room id, with --access-key.")
    private String room;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "User id, with --access-key.")
    private String user;

    @Option(names = "--play", paramLabel = "FILE", description = "Play this .wav/.opus/.ogg file into the room, in real time.")
    private Path play;

    @Option(names = "--loop", description = "Play the file again and again.")
    private boolean loop;

    @Option(names = "--record", paramLabel = "FILE", description = "Record the room's mix (48 kHz mono) to .wav or .opus.")
    private Path record;

    @Option(names = "--record-peers", paramLabel = "DIR",
            description = "Record each remote stream to DIR/peer-<peer id>-<user>-<media id>.<--peer-format>.")
    private Path recordPeers;

    @Option(names = "--peer-format", paramLabel = "EXT", defaultValue = "opus",
            description = "File type of --record-peers files: opus or wav. Default: ${DEFAULT-VALUE}.")
    private String peerFormat;

    @Option(names = "--echo", description = "Send back what it hears (the room's mix).")
    private boolean echo;

    @Option(names = {"-d", "--duration"}, paramLabel = "D", converter = DurationConverter.class,
            description = "Leave after this long (e.g. 30s, 5m). Default: stay until Ctrl-C.")
    private Duration duration;

    @Option(names = "--user-data", paramLabel = "DATA",
            description = "Own peer user data, sent with the join (JSON or any text, as UTF-8).")
    private String userData;

    @Mixin
    private ApmOptions apm;

    private final List<Mono<Long>> recordings = new CopyOnWriteArrayList<>();
    private final List<Disposable> subscriptions = new CopyOnWriteArrayList<>();
    private final Map<Long, String> userIds = new ConcurrentHashMap<>();
    private final java.util.Set<RemoteMedia> recordedMedias = ConcurrentHashMap.newKeySet();
    private final Sinks.One<Boolean> stopRecording = Sinks.one();
    private final AtomicReference<String> lost = new AtomicReference<>();
    private final AtomicReference<String> recordingFailed = new AtomicReference<>();
    private volatile CtrlC ctrlC;

    @Override
    public Integer call() throws Exception {
        String roomToken = token();
        checkFiles();
        ApmConfig apmConfig = apm.requested() ? apm.config() : null;
        PrintWriter out = spec.commandLine().getOut();
        OdinClient client = OdinClient.builder().joinTimeout(WAIT).build(); // patient: a loaded machine is slow to join
        try (CtrlC ctrlC = CtrlC.install("odin-join", WAIT)) {
            this.ctrlC = ctrlC; // a failing recording stops the wait
            Room joined;
            try {
                joined = client.room().userData(userData == null ? new byte[0] : userData.getBytes(StandardCharsets.UTF_8))
                        .join(gateway, roomToken).block(WAIT);
            } catch (OdinException e) {
                spec.commandLine().getErr().println("odin join: cannot join: " + e.getMessage());
                return CommandLine.ExitCode.SOFTWARE;
            }
            print(out, "joined room " + joined.id() + " as peer " + joined.ownPeerId() + " (" + joined.ownUserId() + ")");
            subscriptions.add(joined.events().subscribe(e -> onEvent(out, e), e -> ctrlC.stop(), ctrlC::stop));
            if (recordPeers != null) {
                joined.peers().values().forEach(p -> userIds.put(p.id(), p.userId()));
                joined.remoteMedias().values().forEach(m -> recordPeer(out, m)); // already there: events announce new ones only
            }
            if (apmConfig != null) {
                joined.configureApm(apmConfig); // before any media: medias added later run through it
                print(out, "audio processing: " + apmConfig);
            }
            if (record != null) {
                recordings.add(record(joined.mix(), record));
            }
            if (play != null) {
                AudioFiles.Source source = AudioFiles.source(play);
                Flux<float[]> frames = loop ? source.frames().repeat() : source.frames();
                joined.addMedia(LocalMedia.paced(source.format(), frames)).block(WAIT);
                print(out, "playing " + play + (loop ? " in a loop" : ""));
            }
            if (echo) {
                joined.addMedia(LocalMedia.create(AudioFormat.OPUS_MONO, joined.mix())).block(WAIT);
                print(out, "echoing the room's mix");
            }
            boolean stopped = ctrlC.await(duration);
            print(out, recordingFailed.get() != null ? "recording failed, leaving"
                    : lost.get() != null ? "connection lost, leaving" : stopped ? "leaving" : "duration over, leaving");
            stopRecording.tryEmitValue(true);
            Mono.when(recordings).block(WAIT);
            joined.close().block(WAIT);
            if (recordingFailed.get() != null) {
                spec.commandLine().getErr().println("odin join: " + recordingFailed.get());
                return CommandLine.ExitCode.SOFTWARE;
            }
            if (record != null) {
                print(out, "recorded the mix to " + record);
            }
            if (lost.get() != null) {
                spec.commandLine().getErr().println("odin join: " + lost.get());
                return CommandLine.ExitCode.SOFTWARE;
            }
            return 0;
        } finally {
            stopRecording.tryEmitValue(true);
            subscriptions.forEach(Disposable::dispose);
            client.disposeLater().block(WAIT);
        }
    }

    private void onEvent(PrintWriter out, RoomEvent e) {
        if (e instanceof RoomEvent.Joined j) {
            j.peers().forEach(p -> {
                userIds.put(p.id(), p.userId());
                print(out, "peer " + p.id() + " (" + p.userId() + ") is here" + userData(p.userData()));
            });
        } else if (e instanceof RoomEvent.PeerJoined j) {
            userIds.put(j.peer().id(), j.peer().userId());
            print(out, "peer " + j.peer().id() + " (" + j.peer().userId() + ") joined" + userData(j.peer().userData()));
        } else if (e instanceof RoomEvent.PeerLeft l) {
            print(out, "peer " + l.peerId() + " (" + l.userId() + ") left");
        } else if (e instanceof RoomEvent.PeerUserDataChanged u) {
            print(out, "peer " + u.peerId() + " changed" + userData(u.userData()));
        } else if (e instanceof RoomEvent.MessageReceived m) {
            print(out, "message from peer " + m.senderPeerId() + ": " + m.message().asUtf8());
        } else if (e instanceof RoomEvent.MediaAdded a) {
            print(out, "peer " + a.peerId() + " started media " + a.mediaId());
            if (recordPeers != null) {
                recordPeer(out, a.media());
            }
        } else if (e instanceof RoomEvent.MediaRemoved r) {
            print(out, "peer " + r.peerId() + " stopped media " + r.mediaId());
        } else if (e instanceof RoomEvent.MediaActiveStateChanged a) {
            print(out, "peer " + a.peerId() + (a.active() ? " talks" : " is quiet") + " (media " + a.mediaId() + ")");
        } else if (e instanceof RoomEvent.ConnectionStateChanged c) {
            String line = "connection " + c.state() + " (" + c.reason() + ")" + (c.error() != null ? ": " + c.error().getMessage() : "");
            print(out, line);
            if (c.state() == RoomEvent.ConnectionStateChanged.State.DISCONNECTED
                    && c.reason() != RoomEvent.ConnectionStateChanged.Reason.CLIENT_REQUESTED) {
                lost.compareAndSet(null, line);
            }
        }
    }

    /** One file per remote stream; it is final when the stream ends or the bot leaves. */
    private void recordPeer(PrintWriter out, RemoteMedia media) {
        if (!recordedMedias.add(media)) {
            return; // in the snapshot and announced
        }
        String user = userIds.getOrDefault(media.peerId(), "unknown").replaceAll("[^A-Za-z0-9_.-]", "_");
        Path file = recordPeers.resolve("peer-" + media.peerId() + "-" + user + "-" + media.id() + "." + peerFormat);
        recordings.add(record(media.frames(), file));
        print(out, "recording peer " + media.peerId() + " to " + file);
    }

    /** Records until the bot leaves; a write error is kept for the exit status and makes the bot leave. */
    private Mono<Long> record(Flux<float[]> frames, Path file) {
        Mono<Long> done = frames.takeUntilOther(stopRecording.asMono()).as(AudioFiles.sink(file))
                .doOnError(e -> {
                    recordingFailed.compareAndSet(null, "cannot record to " + file + ": " + reason(e));
                    ctrlC.stop();
                })
                .cache();
        subscriptions.add(done.subscribe(n -> { }, e -> { }));
        return done.onErrorResume(e -> Mono.empty());
    }

    private static String reason(Throwable e) {
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof FileSystemException f) { // its message repeats the file name
            return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private String token() {
        if (token != null) {
            return token.trim();
        }
        if (accessKey == null || accessKey.isBlank() || room == null || user == null) {
            throw new IllegalArgumentException("give --token, or --access-key (or " + TokenCommand.ACCESS_KEY_ENV
                    + ") with --room and --user");
        }
        return TokenGenerator.create(AccessKey.parse(accessKey.trim())).createToken(room, user).block(WAIT);
    }

    private void checkFiles() {
        if (play != null) {
            AudioFiles.source(play);
        }
        if (record != null) {
            AudioFiles.checkWritable(record);
        }
        if (recordPeers != null) {
            if (!peerFormat.equals("opus") && !peerFormat.equals("wav")) {
                throw new IllegalArgumentException("--peer-format must be opus or wav, not " + peerFormat);
            }
            AudioFiles.createDirectory(recordPeers);
        }
    }

    private static String userData(Bytes data) {
        return data.isEmpty() ? "" : ", user data " + data.asUtf8();
    }

    private static void print(PrintWriter out, String line) {
        synchronized (out) {
            out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
            out.flush();
        }
    }
}
