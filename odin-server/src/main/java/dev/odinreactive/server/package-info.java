/**
 * The self-hosted ODIN-style server: control channel, room state, media relay and gateway.
 */
package dev.odinreactive.server;
