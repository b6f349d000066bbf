/**
 * The reactive client SDK: {@code OdinClient}, {@code Room}, the sealed {@code RoomEvent} family,
 * local and remote media.
 */
package dev.odinreactive.client;
