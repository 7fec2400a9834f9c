package org.mrw.core.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the workbench finds devices without a command line: the host device, always, and the phones of
 * the adb server on the standard port ({@code $ANDROID_ADB_SERVER_PORT} or 5037), started when none runs.
 * Without adb the phones are missing and {@link #adbProblem()} says what to install. The adb server is
 * kept for the directory's lifetime (closing it stops a server it started).
 */
public final class DeviceDirectory implements AutoCloseable {

    private final Map<String, String> environment;
    private AdbServer server;
    private String adbProblem;

    /** @param environment where adb is looked up (pass {@code System.getenv()}) */
    public DeviceDirectory(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The adb server port: {@code $ANDROID_ADB_SERVER_PORT} or adb's 5037. */
    public int adbPort() {
        String env = environment.get("ANDROID_ADB_SERVER_PORT");
        return env != null && env.matches("\\d{1,5}") && Integer.parseInt(env) > 0 && Integer.parseInt(env) <= 65535
                ? Integer.parseInt(env) : 5037;
    }

    /** The adb server host: {@code $ANDROID_ADB_SERVER_HOST} (a device farm's server) or this computer. */
    public String adbHost() {
        String env = environment.get("ANDROID_ADB_SERVER_HOST");
        return env == null || env.isBlank() ? AdbServer.LOCAL : env.trim();
    }

    /**
     * The online phones now (empty, with {@link #adbProblem()} set, when adb is missing or its server does
     * not answer). Each call asks adb again.
     */
    public synchronized List<AdbDevice> phones() throws DeviceException {
        try {
            if (server == null) {
                server = AdbServer.start(AdbServer.findAdb(environment), adbHost(), adbPort(), Map.of());
            }
            List<AdbDevice> phones = AdbDevices.list(server);
            adbProblem = null;
            return phones;
        } catch (AdbUnavailableException e) {
            adbProblem = e.getMessage();
            server = null;
            return new ArrayList<>();
        }
    }

    /** Why there are no phones when adb is unusable (what to install or set), else empty. */
    public synchronized Optional<String> adbProblem() {
        return Optional.ofNullable(adbProblem);
    }

    /** A device by serial: {@code host} is a new host device in the cache folder, else the phone adb lists. */
    public Device open(String serial) throws DeviceException {
        if (serial.equals(HostDevice.SERIAL)) {
            return HostDevice.inCache();
        }
        for (AdbDevice d : phones()) {
            if (d.serial().equals(serial)) {
                return d;
            }
        }
        throw new DeviceException("no device " + serial + adbProblem().map(p -> " (" + p + ")").orElse(
                " on the adb server at " + adbHost() + ":" + adbPort() + "; plug the phone in with USB debugging on and refresh the Devices view"));
    }

    @Override
    public synchronized void close() throws DeviceException {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
