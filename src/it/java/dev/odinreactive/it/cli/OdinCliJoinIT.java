package dev.odinreactive.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.io.OggOpusFile;
import dev.odinreactive.server.OdinServer;
import dev.odinreactive.server.RunningServer;
import dev.odinreactive.server.ServerConfig;
import dev.odinreactive.token.AccessKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code odin join} as a real process against an embedded server: a termination signal (what
 * Ctrl-C sends, here SIGTERM) makes it leave cleanly — the mix recording is a complete Ogg Opus
 * file, no stack trace — and an unreachable gateway is one line on stderr with exit status 1.
 */
class OdinCliJoinIT {

    @TempDir
    Path dir;

    @Test
    void aSignalLeavesCleanlyAndFinalisesTheRecording() throws Exception {
        OdinCliTokenIT.findJar();
        AccessKey key = AccessKey.generate();
        RunningServer server = OdinServer.builder()
                .config(ServerConfig.defaults().withHttp(ServerConfig.Http.defaults().withBinding("127.0.0.1", 0)))
                .trust(key).start().block(Duration.ofSeconds(30));
        Process join = null;
        try {
            Path mix = dir.resolve("mix.opus");
            Path err = dir.resolve("err.txt");
            join = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", OdinCliTokenIT.jar.toString(), "join", "--gateway", server.gatewayUrl(), "--access-key", key.encoded(),
                    "--room", "r", "--user", "bot", "--user-data", "{\"name\":\"Bot\"}", "--record", mix.toString()))
                    .redirectError(err.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(join.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> joined = CompletableFuture.supplyAsync(() -> out.lines()
                    .filter(l -> l.contains("joined room r as peer")).findFirst().orElse(""));
            // generous: a cold JVM on a loaded machine may need a minute to start and join
            assertThat(joined.completeOnTimeout("", 150, TimeUnit.SECONDS).get()).as(() -> "stderr: " + read(err)).isNotEmpty();

            join.destroy(); // SIGTERM: the shutdown hook leaves the room and finalises the file
            assertThat(join.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(join.exitValue()).as("terminated by SIGTERM, after the hook").isEqualTo(143);
            assertThat(read(err)).doesNotContain("Exception").doesNotContain("\tat ");
            AudioClip recorded = OggOpusFile.read(mix); // a complete file: header, pages, final granule
            assertThat(recorded.format().sampleRate()).isEqualTo(48_000);
        } finally {
            if (join != null) {
                join.destroyForcibly(); // a failed check must not leave the CLI process running
            }
            server.disposeNow(Duration.ofSeconds(10));
        }
    }

    @Test
    void anUnreachableGatewayIsOneLineAndExitOne() throws Exception {
        OdinCliTokenIT.findJar();
        OdinCliTokenIT.Result r = OdinCliTokenIT.odin(java.util.Map.of(), "join", "--gateway", "http://127.0.0.1:1",
                "--access-key", AccessKey.generate().encoded(), "--room", "r", "--user", "u", "--duration", "5s");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip().lines()).singleElement().asString().startsWith("odin join: ");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
