package dev.odinreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.server.RunningServer;
import dev.odinreactive.token.AccessKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code odin server}, run in-process; stopped through the running server as a signal would. */
class ServerCommandTest {

    @Test
    void runsUntilStoppedAndLogsKeyIdButNeverTheKey() throws Exception {
        AccessKey key = AccessKey.generate();
        CompletableFuture<Void> listening = new CompletableFuture<>();
        StringWriter out = new StringWriter() {
            @Override
            public void flush() { // the command flushes once it has printed its addresses
                if (toString().contains("public address")) {
                    listening.complete(null);
                }
            }
        };
        CommandLine cmd = OdinCli.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        ServerCommand.RUNNING.set(null);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> cmd.execute("server", "--port", "0", "--access-key", key.encoded()));
        try {
            CompletableFuture.anyOf(listening, exit).get(30, TimeUnit.SECONDS);
            assertThat(exit).as("still running: %s", out).isNotDone();
            RunningServer server = ServerCommand.RUNNING.get();
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(out.toString()).contains(server.controlUrl()).contains(key.keyId()).doesNotContain(key.encoded());

            server.dispose(); // what the SIGINT/SIGTERM hook does
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
            assertThat(out.toString()).contains("odin server stopped");
        } finally {
            RunningServer left = ServerCommand.RUNNING.get();
            if (left != null) {
                left.disposeNow(Duration.ofSeconds(10)); // a failed assertion must not leave it listening
            }
        }
    }

    @Test
    void badKeyOrConfigIsBadInput() {
        StringWriter err = new StringWriter();
        CommandLine cmd = OdinCli.newCommandLine();
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute("server", "--port", "0", "--access-key", "not-a-key")).isEqualTo(OdinCli.EXIT_BAD_INPUT);
        assertThat(cmd.execute("server", "--config", "/nonexistent/server.toml")).isEqualTo(OdinCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).isNotEmpty().doesNotContain("\tat ");
    }
}
