/**
 * The odin-reactive control-channel protocol (version 1, docs/protocol.md), shared by the
 * client SDK and odin-server: the three frame types ({@link dev.odinreactive.protocol.Request},
 * {@link dev.odinreactive.protocol.Response}, {@link dev.odinreactive.protocol.Notification}),
 * method names ({@link dev.odinreactive.protocol.Methods}), typed errors
 * ({@link dev.odinreactive.protocol.ErrorCode}, {@link dev.odinreactive.protocol.ProtocolException}),
 * limits ({@link dev.odinreactive.protocol.ProtocolLimits}), a strict params reader
 * ({@link dev.odinreactive.protocol.Params}) and the result shapes. The MessagePack codec lives in
 * {@code dev.odinreactive.protocol.internal.MsgpackCodec}. All types are immutable values and
 * thread-safe.
 */
package dev.odinreactive.protocol;
