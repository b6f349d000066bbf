/**
 * Media-plane internals shared by the client transport and the server relay: datagram layout
 * ({@link dev.odinreactive.protocol.media.internal.MediaWire}), AEAD sealing ({@link
 * dev.odinreactive.protocol.media.internal.MediaAead}), replay window, token bucket, sequence
 * accounting and drop counters. Not public API; every class here documents its thread rules.
 */
package dev.odinreactive.protocol.media.internal;
