/**
 * The workbench-agent wire protocol: constants and limits ({@link org.mrw.protocol.Protocol}), frames
 * and their codec ({@link org.mrw.protocol.FrameCodec}), the JSON header reader and writer, and the
 * workbench's client ({@link org.mrw.protocol.AgentClient}). JDK only, Java 8 bytecode;
 * protocol/README.md documents the wire format.
 */
package org.mrw.protocol;
