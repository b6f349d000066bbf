package dev.odinreactive.bench.token;

import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.TokenClaims;
import dev.odinreactive.token.TokenGenerator;
import dev.odinreactive.token.TokenOptions;
import dev.odinreactive.token.TokenVerifier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Room-token throughput (ops/s, one thread): signing through {@code createToken(...).block()}
 * and verifying through {@code verify(...).block()}, the calls a token service and a server
 * make. Compare with the official Node package (docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenBenchmark {

    private TokenGenerator generator;
    private TokenVerifier verifier;
    private TokenOptions options;
    private String token;

    @Setup
    public void setUp() {
        AccessKey key = AccessKey.generate();
        generator = TokenGenerator.create(key);
        verifier = TokenVerifier.of(key);
        options = TokenOptions.builder().customer("bench").build();
        token = generator.createToken("test-room", "test-user", options).block();
    }

    /** Signs a token: claims JSON, base64url, Ed25519 sign. */
    @Benchmark
    public String createToken() {
        return generator.createToken("test-room", "test-user", options).block();
    }

    /** Verifies a token: split, base64url, Jackson parse, Ed25519 verify, claim checks. */
    @Benchmark
    public TokenClaims verifyToken() {
        return verifier.verify(token).block();
    }
}
