package dev.odinreactive.server.relay;

import dev.odinreactive.protocol.media.MediaKey;
import dev.odinreactive.protocol.media.internal.MediaAead;

/** A downlink key with its single sealer (and packet-number counter). Used on the event loop only. */
final class Downlink {

    final MediaKey key;
    final int keyId;
    final MediaAead sealer;
    final boolean shared;

    Downlink(MediaKey key, boolean shared) {
        this.key = key;
        this.keyId = key.id();
        this.sealer = MediaAead.sealer(key);
        this.shared = shared;
    }
}
