package dev.odinreactive.bench.media;

import dev.odinreactive.protocol.media.MediaKey;
import dev.odinreactive.protocol.media.internal.InboundDatagrams;
import dev.odinreactive.protocol.media.internal.MediaAead;
import dev.odinreactive.protocol.media.internal.MediaWire;
import dev.odinreactive.protocol.media.internal.ReplayWindow;
import dev.odinreactive.protocol.media.internal.TokenBucket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-packet cost of the media plane's stages (one thread): AES-128-GCM seal and open of a
 * media datagram (Opus payload of {@code payload} bytes), the relay's open + re-seal, the replay
 * window and the token bucket. Run: {@code java -jar benchmarks/target/benchmarks.jar MediaCrypto -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MediaCryptoBenchmark {

    @Param({"80"})
    public int payload;

    private MediaAead clientSealer;
    private MediaAead relayOpener;
    private MediaAead relaySealer;
    private final byte[] src = new byte[MediaWire.MAX_DATAGRAM];
    private final byte[] sealed = new byte[MediaWire.MAX_DATAGRAM];
    private final byte[] plain = new byte[MediaWire.MAX_DATAGRAM];
    private final byte[] out = new byte[MediaWire.MAX_DATAGRAM];
    private final byte[] rx = new byte[MediaWire.MAX_DATAGRAM];
    private final byte[] nonce = new byte[12];
    private final ByteBuffer direct = ByteBuffer.allocateDirect(MediaWire.MAX_DATAGRAM);
    private Cipher directOpen;
    private Cipher directSeal;
    private SecretKeySpec upKey;
    private SecretKeySpec downKey;
    private int sealedLen;
    private Cipher chachaOpen;
    private Cipher chachaSeal;
    private SecretKeySpec chachaUp;
    private SecretKeySpec chachaDown;
    private final byte[][] chachaSealed = new byte[2][MediaWire.MAX_DATAGRAM];
    private int chachaSealedLen;
    private ReplayWindow window;
    private TokenBucket bucket;
    private long pn;
    private long now;

    @Setup
    public void setup() throws GeneralSecurityException {
        SecureRandom r = new SecureRandom();
        MediaKey up = MediaKey.random(1, r);
        MediaKey down = MediaKey.random(2, r);
        upKey = new SecretKeySpec(up.secret(), "AES");
        downKey = new SecretKeySpec(down.secret(), "AES");
        directOpen = Cipher.getInstance("AES/GCM/NoPadding");
        directSeal = Cipher.getInstance("AES/GCM/NoPadding");
        clientSealer = MediaAead.sealer(up);
        relayOpener = MediaAead.opener(up);
        relaySealer = MediaAead.sealer(down);
        MediaWire.writeCommonHeader(src, MediaWire.TYPE_MEDIA, 0, 1, 0);
        MediaWire.writeMediaFields(src, 1, 0, 0);
        sealedLen = clientSealer.seal(src, MediaWire.MEDIA_HEADER, payload, sealed);
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        r.nextBytes(k1);
        r.nextBytes(k2);
        chachaUp = new SecretKeySpec(k1, "ChaCha20");
        chachaDown = new SecretKeySpec(k2, "ChaCha20");
        chachaOpen = Cipher.getInstance("ChaCha20-Poly1305");
        chachaSeal = Cipher.getInstance("ChaCha20-Poly1305");
        for (int i = 0; i < 2; i++) {
            System.arraycopy(src, 0, chachaSealed[i], 0, MediaWire.MEDIA_HEADER);
            MediaWire.rewriteKey(chachaSealed[i], 1, 1000 + i);
            chachaNonce(chachaSealed[i]);
            Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(Cipher.ENCRYPT_MODE, chachaUp, new IvParameterSpec(nonce));
            c.updateAAD(chachaSealed[i], 0, MediaWire.MEDIA_HEADER);
            chachaSealedLen = MediaWire.MEDIA_HEADER
                    + c.doFinal(src, MediaWire.MEDIA_HEADER, payload, chachaSealed[i], MediaWire.MEDIA_HEADER);
        }
        window = new ReplayWindow();
        bucket = new TokenBucket(Integer.MAX_VALUE / 2, 100, 0);
    }

    /** Client uplink: seal one media datagram. */
    @Benchmark
    public int seal() {
        MediaWire.rewriteKey(src, 1, ++pn);
        return clientSealer.seal(src, MediaWire.MEDIA_HEADER, payload, out);
    }

    /** Relay/client receive: open one media datagram (same nonce every time; the window is not involved). */
    @Benchmark
    public int open() {
        return relayOpener.open(sealed, MediaWire.MEDIA_HEADER, sealedLen, plain, MediaWire.MEDIA_HEADER);
    }

    /** Relay per inbound packet with a room forwarding key: open once, re-seal once. */
    @Benchmark
    public int openAndReseal() {
        relayOpener.open(sealed, MediaWire.MEDIA_HEADER, sealedLen, plain, MediaWire.MEDIA_HEADER);
        System.arraycopy(sealed, 0, plain, 0, MediaWire.MEDIA_HEADER);
        MediaWire.rewriteKey(plain, 2, ++pn);
        return relaySealer.seal(plain, MediaWire.MEDIA_HEADER, payload, out);
    }

    /** A forged datagram (tag fails): the cost of rejecting a forgery, exception included. */
    @Benchmark
    public int openForged() {
        sealed[sealedLen - 1] ^= 1;
        int n = relayOpener.open(sealed, MediaWire.MEDIA_HEADER, sealedLen, plain, 0);
        sealed[sealedLen - 1] ^= 1;
        return n;
    }

    /**
     * The relay's per-inbound-packet crypto as it runs since the in-place change: the datagram
     * sits in a direct (socket) buffer; copy it into a byte[], open, re-seal with the downlink
     * key, and write the result back over the same direct buffer (no new buffer).
     */
    @Benchmark
    public int relayByteArrayInPlace() {
        direct.put(0, sealed, 0, sealedLen); // the next received datagram
        direct.get(0, rx, 0, sealedLen);
        int n = relayOpener.open(rx, MediaWire.MEDIA_HEADER, sealedLen, plain, MediaWire.MEDIA_HEADER);
        System.arraycopy(rx, 0, plain, 0, MediaWire.MEDIA_HEADER);
        MediaWire.rewriteKey(plain, 2, ++pn);
        int len = relaySealer.seal(plain, MediaWire.MEDIA_HEADER, n, out);
        direct.put(0, out, 0, len);
        return len;
    }

    /**
     * The alternative: JDK AES-GCM directly on the direct buffer, in place (two ByteBuffer views
     * of the same memory; the JDK's ByteBuffer path is copy-safe), no byte[] copies.
     */
    @Benchmark
    public int relayDirectBufferInPlace() throws GeneralSecurityException {
        direct.put(0, sealed, 0, sealedLen);
        int h = MediaWire.MEDIA_HEADER;
        direct.get(4 /* nonce = key id || packet number */, nonce, 0, 12);
        directOpen.init(Cipher.DECRYPT_MODE, upKey, new GCMParameterSpec(128, nonce));
        directOpen.updateAAD(direct.duplicate().position(0).limit(h));
        int n = directOpen.doFinal(direct.duplicate().position(h).limit(sealedLen), direct.duplicate().position(h));
        direct.putInt(4, 2).putLong(8, ++pn);
        direct.get(4 /* nonce = key id || packet number */, nonce, 0, 12);
        directSeal.init(Cipher.ENCRYPT_MODE, downKey, new GCMParameterSpec(128, nonce));
        directSeal.updateAAD(direct.duplicate().position(0).limit(h));
        return h + directSeal.doFinal(direct.duplicate().position(h).limit(h + n), direct.duplicate().position(h));
    }

    /**
     * The same open + re-seal with the JDK's ChaCha20-Poly1305 instead of AES-128-GCM (the other
     * AEAD issue 6 allows), byte[] in and out: does it beat AES-GCM on this CPU and JDK?
     */
    @Benchmark
    public int chachaOpenAndReseal() throws GeneralSecurityException {
        int h = MediaWire.MEDIA_HEADER;
        // the JDK 17 provider refuses the same key and nonce twice in a row, even to decrypt
        byte[] in = chachaSealed[(int) (pn & 1)];
        chachaNonce(in);
        chachaOpen.init(Cipher.DECRYPT_MODE, chachaUp, new IvParameterSpec(nonce));
        chachaOpen.updateAAD(in, 0, h);
        int n = chachaOpen.doFinal(in, h, chachaSealedLen - h, plain, h);
        System.arraycopy(in, 0, plain, 0, h);
        MediaWire.rewriteKey(plain, 2, ++pn);
        chachaNonce(plain);
        chachaSeal.init(Cipher.ENCRYPT_MODE, chachaDown, new IvParameterSpec(nonce));
        chachaSeal.updateAAD(plain, 0, h);
        return h + chachaSeal.doFinal(plain, h, n, out, h);
    }

    private void chachaNonce(byte[] header) {
        System.arraycopy(header, 4, nonce, 0, 12); // key id || packet number, as for AES-GCM
    }

    @Benchmark
    public int replayWindowAccept() {
        return window.accept(++pn);
    }

    @Benchmark
    public boolean tokenBucket() {
        now += 1000;
        return bucket.tryTake(now);
    }

    /** Full receive pipeline (replay check, open, window update) on fresh packets. */
    @Benchmark
    public int inboundPipeline() {
        MediaWire.rewriteKey(src, 1, ++pn);
        int len = clientSealer.seal(src, MediaWire.MEDIA_HEADER, payload, out);
        return InboundDatagrams.open(out, len, relayOpener, window, plain, MediaWire.MEDIA_HEADER);
    }
}
