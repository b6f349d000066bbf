package dev.odinreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.Audience;
import dev.odinreactive.token.TokenClaims;
import dev.odinreactive.token.TokenVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code odin keygen} and {@code odin token}, run in-process through {@link OdinCli#newCommandLine()}. */
class TokenCommandsTest {

    record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    static Run odin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = OdinCli.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static String value(String line, String label) {
        assertThat(line).startsWith(label + ": ");
        return line.substring(label.length() + 2);
    }

    @Test
    void keygenPrintsThreeLabelledLines() {
        Run run = odin("keygen");
        assertThat(run.exit).isZero();
        assertThat(run.outLines()).hasSize(3);
        AccessKey key = AccessKey.parse(value(run.outLines().get(0), "access_key"));
        assertThat(value(run.outLines().get(1), "key_id")).isEqualTo(key.keyId());
        assertThat(value(run.outLines().get(2), "public_key")).isEqualTo(key.publicKeyBase64Url());
        assertThat(run.err).isEmpty();
        assertThat(odin("keygen").out).isNotEqualTo(run.out); // a new key each time
    }

    @Test
    void keygenExportsJwkAndToml() throws Exception {
        AccessKey key = AccessKey.generate();
        JsonNode jwk = new ObjectMapper().readTree(odin("keygen", "--jwk", "--access-key", key.encoded()).out);
        assertThat(jwk.get("kid").asText()).isEqualTo(key.keyId());
        assertThat(jwk.get("x").asText()).isEqualTo(key.publicKeyBase64Url());
        assertThat(jwk.has("d")).isTrue();

        Run toml = odin("keygen", "--toml", "--access-key", key.encoded());
        assertThat(toml.out).isEqualTo(key.tomlBlock());
        assertThat(toml.err).isEmpty();

        Run fresh = odin("keygen", "--toml");
        String printedKey = value(fresh.err.strip(), "access_key");
        assertThat(fresh.out).isEqualTo(AccessKey.parse(printedKey).tomlBlock());

        assertThat(odin("keygen", "--toml", "--jwk").exit).isEqualTo(OdinCli.EXIT_BAD_INPUT);
        Run bad = odin("keygen", "--access-key", key.encoded().substring(1));
        assertThat(bad.exit).isEqualTo(OdinCli.EXIT_BAD_INPUT);
        assertThat(bad.err.strip()).startsWith("odin keygen: invalid access key (LENGTH)");
    }

    @Test
    void tokenPrintsOnlyAVerifiableToken() {
        AccessKey key = AccessKey.generate();
        Run run = odin("token", "--access-key", key.encoded(), "--room", "lobby", "--user", "alice",
                "--customer", "acme", "--audience", "sfu", "--lifetime", "120", "--subject", "connect");
        assertThat(run.exit).isZero();
        assertThat(run.err).isEmpty();
        assertThat(run.outLines()).hasSize(1);
        TokenClaims claims = TokenVerifier.of(key).verifyNow(run.outLines().get(0));
        assertThat(claims.roomIds()).containsExactly("lobby");
        assertThat(claims.userId()).isEqualTo("alice");
        assertThat(claims.customer()).contains("acme");
        assertThat(claims.audience()).isEqualTo(Audience.SFU);
        assertThat(claims.subjects()).containsExactly("connect");
        assertThat(claims.expiresAt().getEpochSecond() - claims.notBefore().getEpochSecond()).isEqualTo(120);
        assertThat(claims.notBefore()).isBetween(Instant.now().minusSeconds(60), Instant.now());
    }

    @Test
    void tokenWithSeveralRoomsAndSubjectsAndUpperCaseAudience() {
        AccessKey key = AccessKey.generate();
        Run run = odin("token", "-k", key.encoded(), "-r", "a", "-r", "b", "-u", "bob",
                "-s", "connect", "-s", "roomupdate", "--audience", "GATEWAY");
        assertThat(run.exit).as(run.err).isZero();
        TokenClaims claims = TokenVerifier.builder().addKey(key).audiences(Audience.GATEWAY).build()
                .verifyNow(run.out.strip());
        assertThat(claims.roomIds()).containsExactly("a", "b");
        assertThat(claims.subjects()).containsExactly("connect", "roomupdate");
        assertThat(claims.customer()).isEmpty();
        assertThat(claims.expiresAt().getEpochSecond() - claims.notBefore().getEpochSecond()).isEqualTo(300);
    }

    @Test
    void badKeyIsOneLineOnStderrNamingTheRuleWithExit2() {
        String key = AccessKey.generate().encoded();
        String broken = key.substring(0, 43) + (key.charAt(43) == 'A' ? 'B' : 'A');
        Run run = odin("token", "--access-key", broken, "--room", "r", "--user", "u");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err.lines().toList()).hasSize(1);
        assertThat(run.err).contains("CHECKSUM").doesNotContain(broken.substring(0, 10));

        Run tooShort = odin("token", "--access-key", "AAAA", "--room", "r", "--user", "u");
        assertThat(tooShort.exit).isEqualTo(2);
        assertThat(tooShort.err.strip()).isEqualTo("odin token: invalid access key (LENGTH): the key must be 44 base64 characters (33 bytes)");
    }

    @Test
    void missingOrBadOptionsExit2() {
        String key = AccessKey.generate().encoded();
        assertThat(odin("token", "--access-key", key, "--user", "u").exit).isEqualTo(2);
        assertThat(odin("token", "--access-key", key, "--room", "r", "--user", "u", "--audience", "moon").exit).isEqualTo(2);
        assertThat(odin("token", "--access-key", key, "--room", "r", "--user", "u", "--lifetime", "0").exit).isEqualTo(2);
        assertThat(odin("token", "--access-key", key, "--room", "r", "--user", "u", "--lifetime", "x").exit).isEqualTo(2);
        if (System.getenv(TokenCommand.ACCESS_KEY_ENV) == null) {
            Run noKey = odin("token", "--room", "r", "--user", "u");
            assertThat(noKey.exit).isEqualTo(2);
            assertThat(noKey.err).contains("ODIN_ACCESS_KEY");
        }
    }

    @Test
    void helpDocumentsEveryOption() {
        Run top = odin("--help");
        assertThat(top.exit).isZero();
        assertThat(top.out).contains("keygen", "token");
        Run token = odin("token", "--help");
        assertThat(token.out).contains("--access-key", "ODIN_ACCESS_KEY", "--room", "--user", "--customer",
                "--audience", "none, gateway", "--lifetime", "--subject", "Default: 300");
        Run keygen = odin("keygen", "--help");
        assertThat(keygen.out).contains("--jwk", "--toml", "--access-key", "access_key", "key_id", "public_key");
        CommandLine cmd = OdinCli.newCommandLine();
        for (CommandLine sub : cmd.getSubcommands().values()) {
            sub.getCommandSpec().options().forEach(o ->
                    assertThat(o.description()).as(sub.getCommandName() + " " + o.longestName()).isNotEmpty());
        }
    }
}
