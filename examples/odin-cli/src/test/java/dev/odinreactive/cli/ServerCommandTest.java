package dev.odinreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.server.RunningServer;
import dev.odinreactive.token.AccessKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code odin server}, run in-process; stopped through the running server as a signal would. */
class ServerCommandTest {

    @Test
    void runsUntilStoppedAndLogsKeyIdButNeverTheKey() throws Exception {
        AccessKey key = AccessKey.generate();
        StringWriter out = new StringWriter();
        CommandLine cmd = OdinCli.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        ServerCommand.RUNNING.set(null);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> cmd.execute("server", "--port", "0", "--access-key", key.encoded()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ServerCommand.RUNNING.get() == null || !out.toString().contains("public address")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            assertThat(exit).isNotDone();
            Thread.onSpinWait();
        }
        RunningServer server = ServerCommand.RUNNING.get();
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(out.toString()).contains(server.controlUrl()).contains(key.keyId()).doesNotContain(key.encoded());

        server.dispose(); // what the SIGINT/SIGTERM hook does
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("odin server stopped");
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
