/**
 * Implementation of the client SDK: connection, RPC correlation, state machine, event fan-out,
 * reconnect. Not API: may change without notice.
 */
package dev.odinreactive.client.internal;
