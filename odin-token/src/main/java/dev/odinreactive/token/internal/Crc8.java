package dev.odinreactive.token.internal;

/**
 * CRC-8 as used by ODIN access keys: polynomial 0x31, init 0xFF, MSB first, no reflection,
 * no final XOR (the catalogue's CRC-8/NRSC-5; check value {@code crc8("123456789") == 0xF7}).
 */
public final class Crc8 {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x31) & 0xFF : (crc << 1) & 0xFF;
            }
            TABLE[i] = crc;
        }
    }

    private Crc8() {
    }

    /** CRC-8 of {@code data[from, to)}, as an unsigned value 0..255. */
    public static int of(byte[] data, int from, int to) {
        int crc = 0xFF;
        for (int i = from; i < to; i++) {
            crc = TABLE[(crc ^ data[i]) & 0xFF];
        }
        return crc;
    }
}
