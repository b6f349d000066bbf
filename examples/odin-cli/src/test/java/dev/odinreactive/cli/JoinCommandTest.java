package dev.odinreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.io.OggOpusFile;
import dev.odinreactive.audio.io.WavEncoding;
import dev.odinreactive.audio.io.WavFile;
import dev.odinreactive.cli.internal.Levels;
import dev.odinreactive.server.OdinServer;
import dev.odinreactive.server.RunningServer;
import dev.odinreactive.server.ServerConfig;
import dev.odinreactive.token.AccessKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Two {@code odin join} bots against an embedded server: one plays a file, the other records what it hears. */
class JoinCommandTest {

    private final AccessKey key = AccessKey.generate();
    private RunningServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(10));
        }
    }

    @Test
    void aPlayerIsHeardAndRecordedByARecorder() throws Exception {
        server = OdinServer.builder().config(ServerConfig.defaults().withHttp(ServerConfig.Http.defaults().withBinding("127.0.0.1", 0)))
                .trust(key).start().block(Duration.ofSeconds(15));
        Path tone = dir.resolve("tone.wav");
        float[] samples = new float[16_000]; // 1 s of 440 Hz at 16 kHz: the player resamples
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
        }
        WavFile.write(tone, AudioFormat.of(16_000, 1), samples, WavEncoding.PCM16);
        Path mix = dir.resolve("mix.wav");
        Path peers = dir.resolve("peers");

        CountDownLatch recorderJoined = new CountDownLatch(1);
        StringWriter recorderOut = new StringWriter() {
            @Override
            public void flush() { // the command flushes after every line
                if (toString().contains("joined room r")) {
                    recorderJoined.countDown();
                }
            }
        };
        CommandLine recorder = OdinCli.newCommandLine();
        recorder.setOut(new PrintWriter(recorderOut, true));
        CompletableFuture<Integer> recorderExit = CompletableFuture.supplyAsync(() -> recorder.execute("join",
                "--gateway", server.gatewayUrl(), "--access-key", key.encoded(), "--room", "r", "--user", "recorder",
                "--record", mix.toString(), "--record-peers", peers.toString(), "--duration", "10s"));
        assertThat(recorderJoined.await(60, TimeUnit.SECONDS)).as("recorder joined").isTrue();
        StringWriter playerOut = new StringWriter();
        CommandLine player = OdinCli.newCommandLine();
        player.setOut(new PrintWriter(playerOut, true));
        int playerExit = player.execute("join", "--gateway", server.gatewayUrl(), "--access-key", key.encoded(),
                "--room", "r", "--user", "player", "--play", tone.toString(), "--loop", "--duration", "6s",
                "--user-data", "{\"name\":\"Player\"}", "--hpf");

        assertThat(playerExit).as(playerOut.toString()).isZero();
        assertThat(playerOut.toString()).contains("peer").contains("(recorder) is here").contains("duration over, leaving")
                .contains("audio processing: ").contains("highPassFilter=true");
        assertThat(recorderExit.get(30, TimeUnit.SECONDS)).as(recorderOut.toString()).isZero();
        assertThat(recorderOut.toString()).contains("(player) joined, user data {\"name\":\"Player\"}")
                .doesNotContain("audio processing").contains("started media").contains("(player) left");

        assertThat(Levels.peak(WavFile.read(mix).samples())).as("the mix has the tone").isGreaterThan(0.2f);
        List<Path> files;
        try (Stream<Path> s = Files.list(peers)) {
            files = s.toList();
        }
        assertThat(files).singleElement().satisfies(f -> assertThat(f.getFileName().toString()).matches("peer-\\d+-player-\\d+\\.opus"));
        AudioClip peer = OggOpusFile.read(files.get(0));
        assertThat(peer.seconds()).isGreaterThan(1.0);
        assertThat(Levels.peak(peer.samples())).isGreaterThan(0.2f);
    }

    @Test
    void anUnreachableGatewayIsOneLineAndExitOne() {
        StringWriter err = new StringWriter();
        CommandLine cmd = OdinCli.newCommandLine();
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute("join", "--gateway", "http://127.0.0.1:1", "--access-key", key.encoded(), "--room", "r", "--user", "u"))
                .isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString().strip()).startsWith("odin join: ").doesNotContain("\n").doesNotContain("\tat ");
    }

    @Test
    void missingCredentialsOrBadFilesAreOneLineAndExitTwo() {
        StringWriter err = new StringWriter();
        CommandLine cmd = OdinCli.newCommandLine();
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute("join", "--gateway", "http://127.0.0.1:1", "--access-key", "", "--room", "r"))
                .isEqualTo(OdinCli.EXIT_BAD_INPUT);
        assertThat(cmd.execute("join", "--gateway", "http://127.0.0.1:1", "--token", "t", "--play", dir.resolve("nope.wav").toString()))
                .isEqualTo(OdinCli.EXIT_BAD_INPUT);
        assertThat(cmd.execute("join", "--gateway", "http://127.0.0.1:1", "--token", "t", "--record", dir.resolve("x.mp3").toString()))
                .isEqualTo(OdinCli.EXIT_BAD_INPUT);
        assertThat(cmd.execute("join", "--gateway", "http://127.0.0.1:1", "--token", "t", "--ns", "loud"))
                .isEqualTo(OdinCli.EXIT_BAD_INPUT);
        assertThat(cmd.execute("join", "--gateway", "http://127.0.0.1:1", "--token", "t", "--duration", "0s"))
                .isEqualTo(OdinCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("give --token").contains("cannot read").contains("unknown file type")
                .contains("--ns must be").contains("must be longer than zero")
                .doesNotContain("\tat ");
    }

    @Test
    void aRecordingThatCannotBeWrittenEndsTheCommandWithExitOneAndTheReason() throws Exception {
        Path devFull = Path.of("/dev/full"); // every write fails with ENOSPC (no space left on device)
        assumeTrue(Files.isWritable(devFull), "needs Linux /dev/full");
        server = OdinServer.builder().config(ServerConfig.defaults().withHttp(ServerConfig.Http.defaults().withBinding("127.0.0.1", 0)))
                .trust(key).start().block(Duration.ofSeconds(15));
        Path full = Files.createSymbolicLink(dir.resolve("full.wav"), devFull);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = OdinCli.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        // without the error the bot would stay the whole --duration and exit 0
        int exit = CompletableFuture.supplyAsync(() -> cmd.execute("join", "--gateway", server.gatewayUrl(),
                        "--access-key", key.encoded(), "--room", "r", "--user", "recorder", "--record", full.toString(),
                        "--duration", "30s"))
                .get(60, TimeUnit.SECONDS);
        assertThat(exit).as(out + "\n" + err).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(out.toString()).contains("joined room r").contains("recording failed, leaving")
                .doesNotContain("duration over").doesNotContain("recorded the mix");
        assertThat(err.toString().strip()).startsWith("odin join: cannot record to " + full + ": ")
                .doesNotContain("\n").doesNotContain("\tat ");
        System.out.println("odin join with an unwritable --record: exit " + exit + ", " + err.toString().strip());
        Files.delete(full); // the link, not /dev/full (JUnit warns about links leaving the temp dir)
    }
}
