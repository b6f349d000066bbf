package dev.odinreactive.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.odinreactive.token.AccessKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @Test
    void readsOdinStyleKeys(@TempDir Path dir) throws Exception {
        AccessKey key = AccessKey.generate();
        Path file = dir.resolve("server.toml");
        Files.writeString(file, """
                public_address = "voice.example:4433"

                [http]
                binding = "0.0.0.0:4433"
                certificate_file = "cert.pem"
                private_key_file = "key.pem"
                timeout = 8000
                ping_interval = 2000

                [authorization]
                leeway = 1000
                allow_unsigned = false
                """ + key.tomlBlock() + """

                [limit]
                max_clients = 30
                max_rooms = 20
                max_peers = 25

                [limit.peer]
                incoming_messages = { rate = 5, capacity = 20, overflow = 20 }
                medias = 3
                concurrent_streams = 4

                [metrics]
                enabled = true

                [quic]
                binding = "0.0.0.0:4433"
                """);
        ServerConfig c = ServerConfig.load(file);
        assertThat(c.publicAddress()).isEqualTo("voice.example:4433");
        assertThat(c.http().host()).isEqualTo("0.0.0.0");
        assertThat(c.http().port()).isEqualTo(4433);
        assertThat(c.http().certificateFile()).isEqualTo(dir.resolve("cert.pem"));
        assertThat(c.http().timeout()).isEqualTo(Duration.ofSeconds(8));
        assertThat(c.http().pingInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.authorization().leeway()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.authorization().keys()).singleElement()
                .satisfies(k -> assertThat(k).containsEntry("kid", key.keyId()).containsEntry("x", key.publicKeyBase64Url()));
        assertThat(c.limits().maxClients()).isEqualTo(30);
        assertThat(c.limits().maxRooms()).isEqualTo(20);
        assertThat(c.limits().maxPeers()).isEqualTo(25);
        assertThat(c.limits().peer()).isEqualTo(new ServerConfig.PeerLimits(5, 20, 3, 4));
        assertThat(c.limits().protocolLimits().commandRate()).isEqualTo(5);
        assertThat(c.metricsEnabled()).isTrue();
    }

    @Test
    void emptyFileGivesDefaults() {
        assertThat(ServerConfig.parse("")).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void unknownKeysAndBadValuesNameTheKey() {
        assertThatThrownBy(() -> ServerConfig.parse("[limit]\nmax_peerz = 3\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit.max_peerz");
        assertThatThrownBy(() -> ServerConfig.parse("[http]\nbinding = \"nohost\"\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http.binding");
        assertThatThrownBy(() -> ServerConfig.parse("[limit]\nmax_rooms = \"many\"\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit.max_rooms");
        assertThatThrownBy(() -> ServerConfig.parse("[http\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void authorizationToStringNeverShowsPrivateKeys() {
        AccessKey key = AccessKey.generate();
        String d = key.privateJwk().replaceAll(".*\"d\":\"([^\"]+)\".*", "$1");
        ServerConfig.Authorization a = ServerConfig.Authorization.defaults()
                .withKeys(java.util.List.of(java.util.Map.of("kid", key.keyId(), "kty", "OKP", "crv", "Ed25519",
                        "x", key.publicKeyBase64Url(), "d", d)));
        assertThat(a.toString()).contains(key.keyId()).doesNotContain(d);
        assertThat(ServerConfig.defaults().withAuthorization(a).toString()).doesNotContain(d);
    }

    @Test
    void configuredJwkKeysAuthorizeJoins() {
        dev.odinreactive.server.test.TestTokens tokens = new dev.odinreactive.server.test.TestTokens();
        ServerConfig cfg = ServerConfig.parse("[authorization]\n" + tokens.key.tomlBlock());
        RunningServer server = OdinServer.builder().config(cfg).start().block(Duration.ofSeconds(10));
        try (dev.odinreactive.server.test.RawClient c = dev.odinreactive.server.test.RawClient.connect(server.controlUrl())) {
            assertThat(c.join(tokens.sfu("r", "u"), "r", new byte[0])).containsKey("own_peer_id");
        } finally {
            server.disposeNow(Duration.ofSeconds(10));
        }
    }
}
