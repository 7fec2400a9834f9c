package org.mrw.core.device;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.mrw.protocol.Protocol;

/**
 * How to start the agent: its main class, the protocol version it must speak, the port it listens on
 * (the phone's loopback), the session token, its thread count, extra {@code key=value} options, and how
 * long to wait for its "listening" line.
 */
public record StartOptions(String mainClass, int protocolVersion, int port, String token, int threads,
        List<String> extraOptions, Duration readyTimeout) {

    /** The agent's main class in agent.jar. */
    public static final String AGENT_MAIN = "org.mrw.agent.AgentMain";
    /** The agent's default port on the phone (scrcpy's neighbour). */
    public static final int DEFAULT_PORT = 27183;

    public StartOptions {
        Objects.requireNonNull(mainClass, "mainClass");
        Objects.requireNonNull(token, "token");
        if (!mainClass.matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*")) {
            throw new IllegalArgumentException("not a Java class name: " + mainClass);
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("agent port must be 1..65535: " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (!token.matches("[A-Za-z0-9._~\\-]{0,256}")) {
            throw new IllegalArgumentException("token must be URL-safe characters only");
        }
        extraOptions = List.copyOf(extraOptions);
        for (String o : extraOptions) {
            if (!o.matches("[A-Za-z][A-Za-z0-9_.\\-]*=.*")) {
                throw new IllegalArgumentException("agent options are key=value: " + o);
            }
            ShellQuoting.requireNoControlCharacters("agent option", o);
        }
        Objects.requireNonNull(readyTimeout, "readyTimeout");
    }

    /** The real agent on the default port, speaking this workbench's protocol, with a 20 s start-up budget. */
    public static StartOptions agent(String token, int threads) {
        return new StartOptions(AGENT_MAIN, Protocol.VERSION, DEFAULT_PORT, token, threads, List.of(), Duration.ofSeconds(20));
    }

    public StartOptions withPort(int newPort) {
        return new StartOptions(mainClass, protocolVersion, newPort, token, threads, extraOptions, readyTimeout);
    }

    public StartOptions withMainClass(String newMainClass) {
        return new StartOptions(newMainClass, protocolVersion, port, token, threads, extraOptions, readyTimeout);
    }

    public StartOptions withReadyTimeout(Duration timeout) {
        return new StartOptions(mainClass, protocolVersion, port, token, threads, extraOptions, timeout);
    }

    /** The line the agent prints once it accepts connections. */
    public String readyLine() {
        return "mrw-agent listening 127.0.0.1:" + port + " protocol " + protocolVersion;
    }

    @Override
    public String toString() {
        return "StartOptions[" + mainClass + " protocol " + protocolVersion + " port " + port + " threads " + threads + "]";
    }
}
