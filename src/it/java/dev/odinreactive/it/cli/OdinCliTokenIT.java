package dev.odinreactive.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.TokenClaims;
import dev.odinreactive.token.TokenVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the built {@code examples/odin-cli/target/odin.jar} as a real process: {@code keygen},
 * then {@code token} with the key from the option and from {@code ODIN_ACCESS_KEY}, and checks
 * the printed token with {@link TokenVerifier}.
 */
class OdinCliTokenIT {

    static Path jar;

    record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void findJar() {
        jar = Path.of(System.getProperty("odin.cli.jar", "../../examples/odin-cli/target/odin.jar")).toAbsolutePath().normalize();
        assertThat(jar).as("build it with mvn package first").isRegularFile();
    }

    static Result odin(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("ODIN_ACCESS_KEY");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("odin-out", ".txt");
        Path err = Files.createTempFile("odin-err", ".txt");
        Process p = null;
        try {
            p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("odin %s finished", args[0]).isTrue();
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            if (p != null) {
                p.destroyForcibly(); // a hung CLI (failed waitFor) must not outlive the test
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void keygenThenTokenVerifies() throws Exception {
        Result keygen = odin(Map.of(), "keygen");
        assertThat(keygen.exit).as(keygen.err).isZero();
        List<String> lines = keygen.out.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("access_key: ");
        AccessKey key = AccessKey.parse(lines.get(0).substring("access_key: ".length()));
        assertThat(lines.get(1)).isEqualTo("key_id: " + key.keyId());
        assertThat(lines.get(2)).isEqualTo("public_key: " + key.publicKeyBase64Url());

        TokenVerifier verifier = TokenVerifier.builder().addPublicKey(key.publicKeyBase64Url()).build();

        Result byOption = odin(Map.of(), "token", "--access-key", key.encoded(), "--room", "lobby",
                "--user", "alice", "--customer", "acme", "--audience", "sfu", "--lifetime", "60");
        assertThat(byOption.exit).as(byOption.err).isZero();
        assertThat(byOption.out.lines()).hasSize(1);
        TokenClaims claims = verifier.verifyNow(byOption.out.strip());
        assertThat(claims.roomIds()).containsExactly("lobby");
        assertThat(claims.userId()).isEqualTo("alice");
        assertThat(claims.customer()).contains("acme");
        assertThat(claims.expiresAt().getEpochSecond() - claims.notBefore().getEpochSecond()).isEqualTo(60);

        Result byEnv = odin(Map.of("ODIN_ACCESS_KEY", key.encoded()), "token", "--room", "r2", "--user", "bob");
        assertThat(byEnv.exit).as(byEnv.err).isZero();
        assertThat(verifier.verifyNow(byEnv.out.strip()).roomIds()).containsExactly("r2");
    }

    @Test
    void badKeyIsOneLineOnStderrAndExit2() throws Exception {
        Result bad = odin(Map.of("ODIN_ACCESS_KEY", "AMIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/SvdMA"),
                "token", "--room", "r", "--user", "u");
        assertThat(bad.exit).isEqualTo(2);
        assertThat(bad.out).isEmpty();
        assertThat(bad.err.lines()).hasSize(1);
        assertThat(bad.err).contains("invalid access key (VERSION)").doesNotContain("AMIbjUrHA8");
    }
}
