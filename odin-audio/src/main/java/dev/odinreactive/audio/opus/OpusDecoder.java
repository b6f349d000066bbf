package dev.odinreactive.audio.opus;

import java.util.Arrays;
import java.util.function.Function;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.internal.ConcealmentGuard;
import dev.odinreactive.audio.internal.Pcm;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusPacketInfo;
import reactor.core.publisher.Flux;

/**
 * Decodes Opus packets into interleaved floats (Concentus, pure Java), and hides lost packets:
 * {@link #conceal} runs Opus packet loss concealment (PLC) for a missing frame; {@link #recover}
 * rebuilds a missing frame from the in-band FEC data carried by the <em>next</em> packet (and
 * falls back to PLC inside the codec if that packet has none). After {@code recover(next)} call
 * {@code decode(next)} as usual.
 * <p>Concealment never collapses into silence at once: Concentus's SILK PLC can fade to about
 * −60 dBFS within 10 ms (after quiet, unvoiced stretches of speech, which also carry no FEC data),
 * where libopus keeps the level. A concealed or recovered frame that ends more than 20 dB below the
 * last 10 ms decoded from a packet (less about 3 dB per frame concealed since) is replaced by the
 * last pitch period decoded, repeated and faded by about 3 dB per frame, so a run of losses fades
 * out over several frames.
 * <p>The {@code float[] out} forms allocate nothing. Not thread-safe: one decoder per stream.
 */
public final class OpusDecoder implements AutoCloseable {
    /** Longest Opus packet duration: 120 ms. */
    private static final int MAX_FRAME_MS = 120;

    private final AudioFormat format;
    private final io.github.jaredmdobson.concentus.OpusDecoder decoder;
    private final short[] pcm;
    private final ConcealmentGuard guard;
    private boolean closed;

    /**
     * @param format output format; rate must be 8, 12, 16, 24 or 48 kHz
     * @throws OpusCodecException for another rate
     */
    public OpusDecoder(AudioFormat format) {
        this.format = format;
        try {
            decoder = new io.github.jaredmdobson.concentus.OpusDecoder(format.sampleRate(), format.channels());
        } catch (OpusException | IllegalArgumentException e) {
            throw new OpusCodecException("cannot create Opus decoder for " + format
                    + " (rate must be 8000, 12000, 16000, 24000 or 48000 Hz): " + e.getMessage(), e);
        }
        pcm = new short[format.sampleRate() / 1000 * MAX_FRAME_MS * format.channels()];
        guard = new ConcealmentGuard(format.sampleRate(), format.channels());
    }

    /** A decoder for ODIN's 48 kHz mono. */
    public static OpusDecoder createDefault() {
        return new OpusDecoder(AudioFormat.OPUS_MONO);
    }

    /** Output format. */
    public AudioFormat format() {
        return format;
    }

    /** Interleaved length of the longest possible decoded packet (120 ms); size {@code out} arrays to this. */
    public int maxFrameLength() {
        return pcm.length;
    }

    /**
     * Decodes one packet into {@code out}.
     *
     * @return samples per channel written (interleaved length = result × channels)
     * @throws OpusCodecException if the packet is corrupt
     */
    public int decode(byte[] packet, int off, int len, float[] out) {
        return run(packet, off, len, out, pcm.length / format.channels(), false);
    }

    /** Decodes one packet into a new array of the decoded length. */
    public float[] decode(byte[] packet) {
        float[] out = new float[pcm.length];
        int n = decode(packet, 0, packet.length, out);
        return Arrays.copyOf(out, n * format.channels());
    }

    /**
     * Packet loss concealment: synthesises {@code samplesPerChannel} samples (e.g. 960 for a
     * 20 ms frame at 48 kHz) continuing the previous audio; repeated calls fade to silence over
     * several frames (see the class comment).
     *
     * @return samples per channel written
     */
    public int conceal(float[] out, int samplesPerChannel) {
        return run(null, 0, 0, out, samplesPerChannel, false);
    }

    /**
     * Recovers the frame lost just before {@code nextPacket} from that packet's in-band FEC data
     * ({@code samplesPerChannel} long, normally the lost frame's duration). Without FEC data in
     * {@code nextPacket}, the codec conceals instead.
     *
     * @return samples per channel written
     * @throws OpusCodecException if the packet is corrupt
     */
    public int recover(byte[] nextPacket, int off, int len, float[] out, int samplesPerChannel) {
        return run(nextPacket, off, len, out, samplesPerChannel, true);
    }

    private int run(byte[] packet, int off, int len, float[] out, int samplesPerChannel, boolean fec) {
        if (closed) {
            throw new IllegalStateException("Opus decoder is closed");
        }
        if (samplesPerChannel * format.channels() > pcm.length || samplesPerChannel <= 0) {
            throw new IllegalArgumentException("frame of " + samplesPerChannel + " samples per channel is out of range");
        }
        int n;
        try {
            n = decoder.decode(packet, off, len, pcm, 0, samplesPerChannel, fec);
        } catch (OpusException | RuntimeException e) {
            throw new OpusCodecException("corrupt Opus packet (" + len + " bytes): " + e.getMessage(), e);
        }
        int total = n * format.channels();
        if (out.length < total) {
            throw new IllegalArgumentException("output array of " + out.length + " too small for " + total + " samples");
        }
        Pcm.toFloats(pcm, 0, out, 0, total);
        if (packet == null || fec) {
            guard.concealed(out, n);
        } else {
            guard.decoded(out, n);
        }
        return n;
    }

    /**
     * Samples per channel that {@code packet} decodes to at {@code sampleRate}, or -1 if it is
     * not a well-formed Opus packet. Does not touch any decoder state.
     */
    public static int packetSamples(byte[] packet, int off, int len, int sampleRate) {
        if (packet == null || len < 1) {
            return -1;
        }
        try {
            OpusPacketInfo.parseOpusPacket(packet, off, len);
            int n = OpusPacketInfo.getNumSamples(packet, off, len, sampleRate);
            return n > 0 && n <= sampleRate / 1000 * MAX_FRAME_MS ? n : -1;
        } catch (OpusException | RuntimeException e) {
            return -1;
        }
    }

    /** Resets the codec state. */
    public void reset() {
        decoder.resetState();
        guard.reset();
    }

    /** Makes further use fail. */
    @Override
    public void close() {
        closed = true;
    }

    /**
     * Operator: packets in, decoded frames out (one per packet, new arrays), on the thread
     * delivering packets. Errors: {@link OpusCodecException} on a corrupt packet. For lossy
     * streams use the jitter buffer, which conceals gaps.
     */
    public static Function<Flux<byte[]>, Flux<float[]>> decoding(AudioFormat format) {
        return packets -> Flux.using(() -> new OpusDecoder(format), dec -> packets.map(dec::decode), OpusDecoder::close);
    }
}
