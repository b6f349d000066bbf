/**
 * Internal: the MessagePack codec of the control channel. May change without notice; used by
 * the client SDK and odin-server, not by applications.
 */
package dev.odinreactive.protocol.internal;
