package dev.odinreactive.it.room;

import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.server.ServerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The control plane over TLS: a server configured from a {@code server.toml} with
 * {@code [http] certificate_file/private_key_file} (a throwaway self-signed certificate for
 * 127.0.0.1/localhost, made with the {@code openssl} CLI at test time — no key is committed)
 * serves the gateway over https and the control channel over wss; clients that trust the
 * certificate join and talk, a client that does not fails fast with a typed error.
 */
class TlsIT extends RoomItSupport {

    @TempDir
    static Path dir;
    static Path cert;

    @BeforeAll
    static void makeSelfSignedCertificate() throws Exception {
        cert = dir.resolve("cert.pem");
        selfSigned(cert, dir.resolve("key.pem"), "IP:127.0.0.1,DNS:localhost");
    }

    /** A throwaway EC P-256 certificate for {@code subjectAltName} and its PKCS#8 PEM key. */
    static void selfSigned(Path cert, Path key, String subjectAltName) throws Exception {
        List<String> cmd = List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=" + subjectAltName);
        Path log = Files.createTempFile(cert.getParent(), "openssl", ".log");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("TlsIT needs the openssl CLI on the PATH to make a throwaway certificate: " + e.getMessage(), e);
        }
        boolean exited = p.waitFor(30, TimeUnit.SECONDS); // output goes to a file: the wait is really bounded
        if (!exited) {
            p.destroyForcibly();
        }
        if (!exited || p.exitValue() != 0) {
            fail("openssl could not make a self-signed certificate: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        assertThat(Files.readString(key)).as("PKCS#8 PEM key").contains("BEGIN PRIVATE KEY");
    }

    /** The server from a server.toml whose TLS paths are relative to the file. */
    private void startTlsServerFromToml() throws IOException {
        Path toml = dir.resolve("server.toml");
        Files.writeString(toml, """
                [http]
                binding = "127.0.0.1:0"
                certificate_file = "cert.pem"
                private_key_file = "key.pem"
                """);
        ServerConfig config = ServerConfig.load(toml);
        assertThat(config.http().tls()).isTrue();
        assertThat(config.http().certificateFile()).isEqualTo(cert);
        assertThat(config.http().privateKeyFile()).isEqualTo(dir.resolve("key.pem"));
        startServer(config);
        assertThat(server.gatewayUrl()).startsWith("https://127.0.0.1:");
        assertThat(server.controlUrl()).startsWith("wss://127.0.0.1:");
    }

    @Test
    void clientsTrustingThePrivateCertificateJoinOverHttpsAndWssAndTalk() throws Exception {
        startTlsServerFromToml();
        client(OdinClient.builder().trustedCertificates(cert));

        Room a = join("secure", "alice");
        Recorder ra = record(a);
        Room b = join("secure", "bob");
        Recorder rb = record(b);

        ra.await(evs -> evs.stream().anyMatch(e -> e instanceof RoomEvent.PeerJoined j && j.peer().id() == b.ownPeerId()),
                WAIT, "PeerJoined of bob at alice");
        rb.awaitPeers(WAIT, a.ownPeerId());

        a.sendMessage("hello over tls".getBytes(StandardCharsets.UTF_8)).block(WAIT);
        rb.await(evs -> !rb.messages().isEmpty(), WAIT, "alice's message at bob");
        assertThat(rb.messages()).singleElement().satisfies(m -> {
            assertThat(m.senderPeerId()).isEqualTo(a.ownPeerId());
            assertThat(m.message().asUtf8()).isEqualTo("hello over tls");
        });
    }

    @Test
    void clientWithoutTheCertificateFailsTheGatewayStepWithATypedError() throws Exception {
        startTlsServerFromToml();
        // default trust = the JDK's store, which does not know our self-signed certificate;
        // a short join timeout makes a hang show up as TIMEOUT instead of the expected error
        client(OdinClient.builder().joinTimeout(Duration.ofSeconds(5)).reconnect(fastReconnect()));
        String token = token("secure", "mallory");

        assertThatThrownBy(() -> client.room().join(server.gatewayUrl(), token).block(WAIT))
                .isInstanceOfSatisfying(OdinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(OdinException.Reason.CONNECTION_FAILED);
                    assertThat(e.step()).isEqualTo(OdinException.Step.GATEWAY);
                    assertThat(e.getMessage()).doesNotContain(token);
                })
                .rootCause().hasMessageContaining("certification path");
        assertThat(server.peers()).isZero();
    }

    @Test
    void aTrustedCertificateForAnotherHostNameIsStillRejected(@TempDir Path other) throws Exception {
        Path otherCert = other.resolve("cert.pem");
        Path otherKey = other.resolve("key.pem");
        selfSigned(otherCert, otherKey, "DNS:voice.example");
        startServer(ServerConfig.defaults().withHttp(ServerConfig.Http.defaults().withTls(otherCert, otherKey)));
        client(OdinClient.builder().trustedCertificates(otherCert).joinTimeout(Duration.ofSeconds(5)));

        assertThatThrownBy(() -> join("secure", "alice"))
                .isInstanceOfSatisfying(OdinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(OdinException.Reason.CONNECTION_FAILED);
                    assertThat(e.step()).isEqualTo(OdinException.Step.GATEWAY);
                })
                .rootCause().hasMessageContaining("subject alternative names");
        assertThat(server.peers()).isZero();
    }

    @Test
    void unreadableTrustFileIsRejectedAtConfiguration() throws IOException {
        Path garbage = dir.resolve("not-a-cert.pem");
        Files.writeString(garbage, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> OdinClient.builder().trustedCertificates(garbage))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-a-cert.pem");
        assertThatThrownBy(() -> OdinClient.builder().trustedCertificates(dir.resolve("missing.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
    }
}
