package org.mrw.core.device;

import java.util.List;

/**
 * The workbench's view of a device that runs models: a phone reached through adb, or the host itself
 * ({@link #host()}). A phone gets the agent deployed and started, then serves byte streams to it.
 */
public interface Device extends AutoCloseable {

    DeviceInfo info();

    default String serial() {
        return info().serial();
    }

    default String model() {
        return info().model();
    }

    default String manufacturer() {
        return info().manufacturer();
    }

    default String androidVersion() {
        return info().androidVersion();
    }

    default int sdkLevel() {
        return info().sdkLevel();
    }

    /** ABIs in the device's preference order. */
    default List<String> abis() {
        return info().abis();
    }

    default boolean host() {
        return info().host();
    }

    /**
     * Pushes agent.jar, the manifest and the natives of the device's best ABI that the bundle has, skipping
     * files whose SHA-256 on the device already matches.
     */
    DeployResult deploy(AgentBundle bundle) throws DeviceException;

    /** Starts the deployed agent in the background and waits for its "listening" line. */
    AgentProcess startAgent(StartOptions options) throws DeviceException;

    /** Opens a stream to a port on the device's loopback (where the agent listens). */
    DeviceStream openStream(int port) throws DeviceException;

    /** Stops the agent this object started (no-op if none). */
    void stopAgent() throws DeviceException;

    /** The last lines of the agent's log on the device (empty if it never started). */
    String logs() throws DeviceException;

    /** Re-establishes the connection after the device came back (a new stream is needed afterwards). */
    void reconnect() throws DeviceException;

    /** Releases the connection; a running agent keeps running (call {@link #stopAgent()} first to end it). */
    @Override
    void close() throws DeviceException;
}
