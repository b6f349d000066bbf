package dev.odinreactive.protocol.media.internal;

/** Builds sealed datagrams for tests. */
final class TestDatagrams {

    private TestDatagrams() {
    }

    static byte[] media(MediaAead sealer, long pn, int mediaId, int seq, int ts, int flags, byte[] payload) {
        byte[] src = new byte[MediaWire.MEDIA_HEADER + payload.length];
        MediaWire.writeCommonHeader(src, MediaWire.TYPE_MEDIA, flags, sealer.keyId(), pn);
        MediaWire.writeMediaFields(src, mediaId, seq, ts);
        System.arraycopy(payload, 0, src, MediaWire.MEDIA_HEADER, payload.length);
        byte[] dst = new byte[src.length + MediaWire.TAG];
        int n = sealer.seal(src, MediaWire.MEDIA_HEADER, payload.length, dst);
        if (n != dst.length) {
            throw new AssertionError("sealed length " + n);
        }
        return dst;
    }

    static byte[] control(MediaAead sealer, int type, int flags, long pn, long body) {
        byte[] src = new byte[MediaWire.COMMON_HEADER + MediaWire.CONTROL_BODY];
        MediaWire.writeCommonHeader(src, type, flags, sealer.keyId(), pn);
        MediaWire.writeLong(src, MediaWire.COMMON_HEADER, body);
        byte[] dst = new byte[MediaWire.CONTROL_DATAGRAM];
        sealer.seal(src, MediaWire.COMMON_HEADER, MediaWire.CONTROL_BODY, dst);
        return dst;
    }
}
