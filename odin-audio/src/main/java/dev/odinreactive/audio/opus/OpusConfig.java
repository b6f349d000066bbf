package dev.odinreactive.audio.opus;

import dev.odinreactive.audio.AudioFormat;

/**
 * Opus encoder settings. {@link #defaults()} are ODIN's: 48 kHz, mono, 20 ms frames, VOIP,
 * 32 kbit/s, DTX on, in-band FEC on with 15 % expected packet loss, complexity 10. Every field
 * can be changed with the {@code with...} methods; the constructor validates.
 *
 * @param sampleRate        8 000, 12 000, 16 000, 24 000 or 48 000 Hz (Opus native rates)
 * @param channels          1 or 2
 * @param frameMillis       10, 20, 40 or 60 ms
 * @param application       VOIP, AUDIO or RESTRICTED_LOWDELAY
 * @param bitrate           bits per second, 6 000–510 000
 * @param dtx               discontinuous transmission: near-empty packets during silence
 * @param fec               in-band forward error correction (LBRR) in each packet
 * @param packetLossPercent expected loss 0–100, tunes the FEC share
 * @param complexity        0–10
 */
public record OpusConfig(int sampleRate, int channels, int frameMillis, OpusApplication application,
                         int bitrate, boolean dtx, boolean fec, int packetLossPercent, int complexity) {

    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public OpusConfig {
        if (sampleRate != 8_000 && sampleRate != 12_000 && sampleRate != 16_000 && sampleRate != 24_000
                && sampleRate != 48_000) {
            throw new IllegalArgumentException("Opus sample rate must be 8000, 12000, 16000, 24000 or 48000 Hz, not "
                    + sampleRate);
        }
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("Opus channels must be 1 or 2, not " + channels);
        }
        if (frameMillis != 10 && frameMillis != 20 && frameMillis != 40 && frameMillis != 60) {
            throw new IllegalArgumentException("Opus frame must be 10, 20, 40 or 60 ms, not " + frameMillis);
        }
        if (application == null) {
            throw new IllegalArgumentException("application is required");
        }
        if (bitrate < 6_000 || bitrate > 510_000) {
            throw new IllegalArgumentException("Opus bitrate must be 6000-510000 bit/s, not " + bitrate);
        }
        if (packetLossPercent < 0 || packetLossPercent > 100) {
            throw new IllegalArgumentException("packet loss must be 0-100 %, not " + packetLossPercent);
        }
        if (complexity < 0 || complexity > 10) {
            throw new IllegalArgumentException("complexity must be 0-10, not " + complexity);
        }
    }

    /** ODIN's encoder defaults. */
    public static OpusConfig defaults() {
        return new OpusConfig(48_000, 1, 20, OpusApplication.VOIP, 32_000, true, true, 15, 10);
    }

    /** The PCM format of frames given to the encoder. */
    public AudioFormat format() {
        return new AudioFormat(sampleRate, channels);
    }

    /** Samples per channel in one frame. */
    public int samplesPerChannel() {
        return sampleRate / 1000 * frameMillis;
    }

    /** Interleaved samples in one frame. */
    public int frameLength() {
        return samplesPerChannel() * channels;
    }

    /** Copy with another sample rate. */
    public OpusConfig withSampleRate(int v) {
        return new OpusConfig(v, channels, frameMillis, application, bitrate, dtx, fec, packetLossPercent, complexity);
    }

    /** Copy with another channel count. */
    public OpusConfig withChannels(int v) {
        return new OpusConfig(sampleRate, v, frameMillis, application, bitrate, dtx, fec, packetLossPercent, complexity);
    }

    /** Copy with another frame duration. */
    public OpusConfig withFrameMillis(int v) {
        return new OpusConfig(sampleRate, channels, v, application, bitrate, dtx, fec, packetLossPercent, complexity);
    }

    /** Copy with another application. */
    public OpusConfig withApplication(OpusApplication v) {
        return new OpusConfig(sampleRate, channels, frameMillis, v, bitrate, dtx, fec, packetLossPercent, complexity);
    }

    /** Copy with another bitrate. */
    public OpusConfig withBitrate(int v) {
        return new OpusConfig(sampleRate, channels, frameMillis, application, v, dtx, fec, packetLossPercent, complexity);
    }

    /** Copy with DTX on or off. */
    public OpusConfig withDtx(boolean v) {
        return new OpusConfig(sampleRate, channels, frameMillis, application, bitrate, v, fec, packetLossPercent, complexity);
    }

    /** Copy with FEC on or off and the expected loss. */
    public OpusConfig withFec(boolean on, int lossPercent) {
        return new OpusConfig(sampleRate, channels, frameMillis, application, bitrate, dtx, on, lossPercent, complexity);
    }

    /** Copy with another complexity. */
    public OpusConfig withComplexity(int v) {
        return new OpusConfig(sampleRate, channels, frameMillis, application, bitrate, dtx, fec, packetLossPercent, v);
    }
}
