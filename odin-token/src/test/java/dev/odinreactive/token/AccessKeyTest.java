package dev.odinreactive.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.odinreactive.token.InvalidAccessKeyException.Rule;
import dev.odinreactive.token.internal.Crc8;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessKeyTest {

    static final String SPEC_KEY = "AcIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/SvdMA";

    @Test
    void crc8MatchesTheCatalogueCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc8.of(check, 0, check.length)).isEqualTo(0xF7);
    }

    @Test
    void generatedKeysParseBackToTheSameKey() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            AccessKey key = AccessKey.generate();
            String text = key.encoded();
            assertThat(text).hasSize(44).matches("[A-Za-z0-9+/]{44}").startsWith("A");
            AccessKey parsed = AccessKey.parse(text);
            assertThat(parsed).isEqualTo(key);
            assertThat(parsed.keyId()).isEqualTo(key.keyId()).hasSize(12);
            assertThat(parsed.publicKey()).isEqualTo(key.publicKey());
            ids.add(key.keyId());
        }
        assertThat(ids).hasSize(50);
    }

    @Test
    void toStringNeverRevealsTheSecret() {
        AccessKey key = AccessKey.parse(SPEC_KEY);
        String seedB64 = Base64.getEncoder().encodeToString(key.secretKey());
        assertThat(key.toString())
                .isEqualTo("AccessKey[keyId=AQ7aVmK+pI1l]")
                .doesNotContain(SPEC_KEY.substring(4, 20))
                .doesNotContain(seedB64.substring(0, 10));
    }

    @Test
    void exportsTomlAndJwk() {
        AccessKey key = AccessKey.parse(SPEC_KEY);
        assertThat(key.tomlBlock()).isEqualTo("""
                [[authorization.keys]]
                kid = "AQ7aVmK+pI1l"
                kty = "OKP"
                crv = "Ed25519"
                x = "ZGYe_vBZVNkzQ6fD8BmkJUb6o0p8wfKt3PqFVx6-be4"
                """);
        assertThat(key.publicJwk()).isEqualTo(
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"AQ7aVmK+pI1l\",\"x\":\"ZGYe_vBZVNkzQ6fD8BmkJUb6o0p8wfKt3PqFVx6-be4\"}");
        assertThat(key.privateJwk()).contains("\"d\":\"whuNSscDwRXrZMAZhzAO0eFDzA3eVeZwq0W039K90wA\"");
        assertThat(key.secretKey()).hasSize(32);
        assertThat(key.publicKeyBase64()).isEqualTo("ZGYe/vBZVNkzQ6fD8BmkJUb6o0p8wfKt3PqFVx6+be4=");
    }

    @Test
    void acceptsTheLenientFormsOfTheOfficialPackage() {
        String urlSafe = SPEC_KEY.replace('/', '_');
        assertThat(AccessKey.parse(urlSafe).keyId()).isEqualTo("AQ7aVmK+pI1l");
        assertThat(AccessKey.parse(SPEC_KEY + "=").keyId()).isEqualTo("AQ7aVmK+pI1l");
        assertThat(AccessKey.parse(SPEC_KEY + "==").keyId()).isEqualTo("AQ7aVmK+pI1l");
        assertThat(AccessKey.parse("  " + SPEC_KEY + "\r\n").keyId()).isEqualTo("AQ7aVmK+pI1l");
        assertThat(AccessKey.parse(SPEC_KEY.substring(0, 10) + "\u2003\u3000\u00a0" + SPEC_KEY.substring(10)).encoded())
                .isEqualTo(SPEC_KEY);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = "|", value = {
            "''|EMPTY",
            "' \t '|EMPTY",
            "AcIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/SvdM|LENGTH",        // 43 chars
            "AcIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/SvdMAA|LENGTH",      // 45 chars (4n+1)
            "AcIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/S|LENGTH",           // 40 chars
            "AcIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/SvdMA===|ILLEGAL_CHARACTER",
            "AcIbjUrHA8EV62TAG=cwDtHhQ8wN3lXmcKtFtN/SvdMA|ILLEGAL_CHARACTER",
            "AcIbjUrHA8EV62TAG.cwDtHhQ8wN3lXmcKtFtN/SvdMA|ILLEGAL_CHARACTER",
            "AcIbjUrHA8EV62TAGäcwDtHhQ8wN3lXmcKtFtN/SvdMA|ILLEGAL_CHARACTER",
            "AcIbjUrHA8EV62TAG_cwDtHhQ8wN3lXmcKtFtN/SvdMA|MIXED_ALPHABETS",
            "AMIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/SvdMA|VERSION",
            "AsIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/SvdMA|VERSION",
            "AcIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/SvdMB|CHECKSUM",
            "AcIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/SvdNA|CHECKSUM",
            "AcIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/SvdMA|NONE",
    })
    void rejectsEachBrokenRuleWithoutEchoingTheKey(String text, String rule) {
        if (rule.equals("NONE")) {
            assertThat(AccessKey.parse(text)).isNotNull();
            return;
        }
        assertThatThrownBy(() -> AccessKey.parse(text))
                .isInstanceOfSatisfying(InvalidAccessKeyException.class, e -> {
                    assertThat(e.rule()).isEqualTo(Rule.valueOf(rule));
                    assertThat(e.getMessage()).isEqualTo("invalid access key (" + rule + "): " + e.rule().description());
                    if (text.length() > 8) {
                        assertThat(e.getMessage()).doesNotContain(text.substring(0, 8));
                    }
                });
    }

    @Test
    void rejectsTheLowercasedKey() {
        assertThatThrownBy(() -> AccessKey.parse(SPEC_KEY.toLowerCase()))
                .isInstanceOf(InvalidAccessKeyException.class);
    }

    @Test
    void rejectsEverySingleCharacterChangeOfTheSeed() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        int accepted = 0;
        for (int pos = 2; pos < 43; pos++) {
            char original = SPEC_KEY.charAt(pos);
            char replacement = alphabet.charAt((alphabet.indexOf(original) + 1) % 64);
            String changed = SPEC_KEY.substring(0, pos) + replacement + SPEC_KEY.substring(pos + 1);
            try {
                AccessKey.parse(changed);
                accepted++;
            } catch (InvalidAccessKeyException e) {
                assertThat(e.rule()).isEqualTo(Rule.CHECKSUM);
            }
        }
        // CRC-8 detects every single-byte error (each changed character changes one or two bytes).
        assertThat(accepted).isZero();
    }

    @Test
    void nullIsAProgrammingError() {
        assertThatThrownBy(() -> AccessKey.parse(null)).isInstanceOf(NullPointerException.class);
    }
}
