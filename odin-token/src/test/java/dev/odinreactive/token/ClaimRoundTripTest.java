package dev.odinreactive.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property test over random ids (control characters, quotes, backslashes, non-ASCII, emoji and
 * lone surrogates): the hand-written claim writer's JSON, read back by Jackson, gives the ids
 * unchanged, and generate → verify round-trips them.
 */
class ClaimRoundTripTest {

    static final char[] SPECIAL = {'"', '\\', '/', '\b', '\f', '\n', '\r', '\t', 0x00, 0x01, 0x1f, 0x7f,
            0x2028, 0x2029, 'ü', '会', 0xD800, 0xDBFF, 0xDC00, 0xDFFF, '<', '&', '\''};

    static String randomId(SplittableRandom random) {
        int length = random.nextInt(0, 24);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> sb.append(SPECIAL[random.nextInt(SPECIAL.length)]);
                case 1 -> sb.appendCodePoint(random.nextInt(0x1F300, 0x1F6FF)); // emoji: surrogate pair
                case 2 -> sb.append((char) random.nextInt(0x20, 0xD7FF));
                default -> sb.append((char) random.nextInt('a', 'z' + 1));
            }
        }
        return sb.toString();
    }

    /** Every escape is one JSON.stringify writes: short forms, or lower-case \\u for controls and lone surrogates. */
    static void assertEscapesAreLikeJavaScript(String json) {
        for (int i = 0; i < json.length(); i++) {
            if (json.charAt(i) != '\\') {
                continue;
            }
            char next = json.charAt(++i);
            if (next == 'u') {
                String hex = json.substring(i + 1, i + 5);
                assertThat(hex).matches("[0-9a-f]{4}");
                int c = Integer.parseInt(hex, 16);
                assertThat(c < 0x20 || Character.isSurrogate((char) c)).as("escaped U+%s", hex).isTrue();
                i += 4;
            } else {
                assertThat("\"\\bfnrt").as("short escape").contains(String.valueOf(next));
            }
        }
    }

    @Test
    void randomIdsSurviveGenerateAndVerify() throws Exception {
        SplittableRandom random = new SplittableRandom(20261126);
        AccessKey key = AccessKey.generate();
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
        TokenGenerator generator = TokenGenerator.create(key, clock);
        TokenVerifier verifier = TokenVerifier.builder().addKey(key).clock(clock).build();
        ObjectMapper jackson = new ObjectMapper();

        for (int i = 0; i < 300; i++) {
            List<String> rooms = new ArrayList<>();
            for (int r = random.nextInt(1, 4); r > 0; r--) {
                rooms.add(randomId(random));
            }
            String user = randomId(random);
            String customer = randomId(random);
            TokenOptions options = TokenOptions.builder().customer(customer).subject(randomId(random)).build();

            String token = generator.createToken(rooms, user, options).block();

            String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
            assertEscapesAreLikeJavaScript(payload);
            JsonNode parsed = jackson.readTree(payload);
            assertThat(parsed.get("uid").textValue()).isEqualTo(user);
            assertThat(parsed.get("cid").textValue()).isEqualTo(customer);

            TokenClaims claims = verifier.verifyNow(token);
            assertThat(claims.roomIds()).isEqualTo(rooms);
            assertThat(claims.userId()).isEqualTo(user);
            assertThat(claims.customer()).contains(customer);
            assertThat(claims.subjects()).isEqualTo(options.subjects());
        }
    }
}
