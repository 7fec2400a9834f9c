package org.mrw.core.device;

/** A started agent: its process id on the device, the port it listens on and its log file there. */
public record AgentProcess(long pid, int port, String logPath) {
}
