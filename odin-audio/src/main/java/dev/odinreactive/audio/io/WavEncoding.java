package dev.odinreactive.audio.io;

/** Sample encodings {@link WavFile} writes (reading also accepts 24- and 32-bit integer PCM). */
public enum WavEncoding {
    /** 16-bit signed little-endian PCM (format tag 1); floats are rounded and clamped. */
    PCM16(1, 2),
    /** 32-bit IEEE float (format tag 3); lossless for {@code float} samples. */
    FLOAT32(3, 4);

    final int formatTag;
    final int bytesPerSample;

    WavEncoding(int formatTag, int bytesPerSample) {
        this.formatTag = formatTag;
        this.bytesPerSample = bytesPerSample;
    }

    /** Bytes per sample per channel. */
    public int bytesPerSample() {
        return bytesPerSample;
    }
}
