package dev.odinreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.io.OggOpusFile;
import dev.odinreactive.cli.internal.Levels;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code odin demo}, run in-process against its own embedded server; short, but real audio over loopback. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void twoBotsTalkAndTheMixIsRecordedAsOggOpus() throws Exception {
        Path recording = dir.resolve("demo-recording.opus");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = OdinCli.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));

        int exit = cmd.execute("demo", "--duration", "4s", "--peers", "2", "--json", "--recording", recording.toString());

        assertThat(exit).as("stderr: %s", err).isZero();
        List<String> lines = out.toString().lines().toList();
        JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(summary.get("peers").asInt()).isEqualTo(2);
        assertThat(summary.get("frames_sent").size()).isEqualTo(2);
        assertThat(summary.get("frames_received").size()).isEqualTo(2);
        summary.get("frames_sent").forEach(n -> assertThat(n.asLong()).isPositive());
        summary.get("frames_received").forEach(n -> assertThat(n.asLong()).isPositive());
        assertThat(summary.get("packets_lost").isIntegralNumber()).isTrue();
        assertThat(summary.get("latency_ms").has("p50")).isTrue();
        assertThat(summary.get("latency_ms").has("p99")).isTrue();
        assertThat(summary.get("messages").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(Path.of(summary.get("recording").asText())).isEqualTo(recording.toAbsolutePath());

        AudioClip mix = OggOpusFile.read(recording);
        assertThat(mix.seconds()).as("of a 4 s run (less when a starved machine slows the audio clock)").isGreaterThan(1.0);
        assertThat(Levels.peak(mix.samples())).as("the recorded mix has speech in it").isGreaterThan(0.05f);
        if (onPath("opusinfo")) {
            Process p = new ProcessBuilder("opusinfo", recording.toString()).redirectErrorStream(true).start();
            String info = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(info).isZero();
            assertThat(info).doesNotContain("WARNING").doesNotContain("ERROR");
        }
    }

    @Test
    void badPeerCountIsOneLineAndExitTwo() {
        StringWriter err = new StringWriter();
        CommandLine cmd = OdinCli.newCommandLine();
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute("demo", "--peers", "0")).isEqualTo(OdinCli.EXIT_BAD_INPUT);
        assertThat(cmd.execute("demo", "--duration", "soon")).isEqualTo(OdinCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--peers must be").contains("not a duration").doesNotContain("\tat ");
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            if (new File(d, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
