package dev.odinreactive.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odinreactive.client.OdinException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads (without verifying: the client has no key) the claims a client needs from a room
 * token: the room ids ({@code rid}) and the audience ({@code aud}). Never logs the token.
 */
public record TokenPeek(List<String> roomIds, String userId, List<String> audiences) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public TokenPeek {
        roomIds = List.copyOf(roomIds);
        userId = userId == null ? "" : userId;
        audiences = List.copyOf(audiences);
    }

    /** @throws OdinException {@code TOKEN_MALFORMED} if the token is not a JWT with a JSON payload */
    public static TokenPeek of(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) {
            throw malformed("not a JWT (expected 3 dot-separated parts)");
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (Exception e) {
            throw malformed("payload is not base64url JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw malformed("payload is not a JSON object");
        }
        JsonNode uid = payload.get("uid");
        return new TokenPeek(strings(payload.get("rid")), uid != null && uid.isTextual() ? uid.asText() : "",
                strings(payload.get("aud")));
    }

    /** Whether the token is meant for a server directly (ODIN's {@code aud: "sfu"}), skipping the gateway. */
    public boolean direct() {
        return audiences.contains("sfu");
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> {
                if (n.isTextual()) {
                    out.add(n.asText());
                }
            });
        }
        return out;
    }

    private static OdinException malformed(String why) {
        return new OdinException(OdinException.Reason.TOKEN_MALFORMED, null, OdinException.Step.GATEWAY,
                "token rejected before sending: " + why, null);
    }
}
