package dev.odinreactive.audio.io;

/**
 * The identification header of an Ogg Opus stream (RFC 7845 §5.1) plus the vendor string of its
 * comment header.
 *
 * @param channels        output channels (1 or 2; mapping family 0)
 * @param preSkip         48 kHz samples to discard at the start
 * @param inputSampleRate the original rate before encoding (informational)
 * @param outputGainQ8    gain in dB × 256 to apply on output
 * @param vendor          vendor string from {@code OpusTags}
 */
public record OggOpusHead(int channels, int preSkip, int inputSampleRate, int outputGainQ8, String vendor) {
}
