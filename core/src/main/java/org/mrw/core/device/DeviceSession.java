package org.mrw.core.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.mrw.core.model.InputSpec;
import org.mrw.protocol.AgentClient;
import org.mrw.protocol.AgentException;
import org.mrw.protocol.AgentInfo;

/**
 * The agent running on one device, connected and greeted: deploy (skipping unchanged files), start
 * with a fresh session token, open the stream, HELLO. Models loaded through it run on that device.
 * Closing it unloads nothing by itself (its classifiers do), shuts the agent down and closes the stream.
 */
public final class DeviceSession implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Device device;
    private final DeployResult deployed;
    private final AgentProcess process;
    private final DeviceStream stream;
    private final AgentClient client;
    private final AgentInfo agentInfo;

    private DeviceSession(Device device, DeployResult deployed, AgentProcess process, DeviceStream stream, AgentClient client,
                          AgentInfo agentInfo) {
        this.device = device;
        this.deployed = deployed;
        this.process = process;
        this.stream = stream;
        this.client = client;
        this.agentInfo = agentInfo;
    }

    /**
     * Deploys {@code bundle} to {@code device}, starts the agent and greets it.
     *
     * @param threads inference threads on the device
     */
    public static DeviceSession open(Device device, AgentBundle bundle, int threads) throws DeviceException {
        return open(device, bundle, threads, StartOptions.DEFAULT_PORT);
    }

    /** {@link #open(Device, AgentBundle, int)} with the agent listening on {@code agentPort} of the device. */
    public static DeviceSession open(Device device, AgentBundle bundle, int threads, int agentPort) throws DeviceException {
        DeployResult deployed = device.deploy(bundle);
        String token = newToken();
        AgentProcess process = device.startAgent(StartOptions.agent(token, threads).withPort(agentPort));
        DeviceStream stream = null;
        try {
            stream = device.openStream(process.port());
            AgentClient client = new AgentClient(stream.input(), stream.output(), stream);
            AgentInfo info = client.hello(token);
            return new DeviceSession(device, deployed, process, stream, client, info);
        } catch (AgentException e) {
            closeQuietly(stream);
            device.stopAgent();
            throw new DeviceException("the agent on " + device.serial() + " refused the session: " + e.getMessage()
                    + "; its log: " + logsOf(device), e);
        } catch (IOException e) {
            closeQuietly(stream);
            device.stopAgent();
            if (e instanceof DeviceException d) {
                throw d;
            }
            throw new DeviceException("cannot talk to the agent on " + device.serial() + ": " + e.getMessage()
                    + "; its log: " + logsOf(device), e);
        }
    }

    private static String logsOf(Device device) {
        try {
            return device.logs();
        } catch (DeviceException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Loads a model file into the device's agent (see {@link DeviceClassifier#load}). */
    public DeviceClassifier load(Path model, InputSpec spec, int threads) {
        if (!Files.exists(model)) {
            throw new org.mrw.core.model.ModelLoadException(model, "a model", "no such file");
        }
        return DeviceClassifier.load(client, device.serial(), model, spec, threads);
    }

    public Device device() {
        return device;
    }

    public DeployResult deployed() {
        return deployed;
    }

    public AgentProcess process() {
        return process;
    }

    /** What the agent said about itself and its runtimes. */
    public AgentInfo agentInfo() {
        return agentInfo;
    }

    public AgentClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            client.shutdown();
        } catch (IOException | AgentException e) {
            // already gone: stopping the process below is enough
        }
        closeQuietly(stream);
        try {
            device.stopAgent();
        } catch (DeviceException e) {
            // the device went away; its agent exits on its idle timeout
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
