package org.mrw.core.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mrw.core.device.AdbDevice;
import org.mrw.core.device.AdbDevices;
import org.mrw.core.device.AdbServer;
import org.mrw.core.device.AdbUnavailableException;
import org.mrw.core.device.Device;
import org.mrw.core.device.DeviceException;
import org.mrw.core.device.HostDevice;
import picocli.CommandLine.Option;

/**
 * How commands reach devices: the host device is always there; phones come through an adb server on
 * 127.0.0.1 (or another machine, {@code --adb-host}) at
 * an explicit port (the standard 5037 unless {@code --adb-port} or {@code ANDROID_ADB_SERVER_PORT}
 * says otherwise), optionally after {@code adb connect HOST:PORT} for a phone on the network.
 */
final class DeviceArgs {

    @Option(names = "--adb-port", paramLabel = "N", description = "adb server port (default $ANDROID_ADB_SERVER_PORT or 5037).")
    Integer adbPort;

    @Option(names = "--adb-host", paramLabel = "HOST", description = "adb server host: another machine's server, "
            + "whose phones then work like local ones (default $ANDROID_ADB_SERVER_HOST or 127.0.0.1).")
    String adbHost;

    @Option(names = "--connect", paramLabel = "HOST:PORT", description = "adb connect to this device first (adb over TCP).")
    String connect;

    int port() {
        if (adbPort != null) {
            if (adbPort < 1 || adbPort > 65535) {
                throw new IllegalArgumentException("--adb-port must be 1..65535, got " + adbPort);
            }
            return adbPort;
        }
        String env = System.getenv("ANDROID_ADB_SERVER_PORT");
        return env != null && env.matches("\\d{1,5}") ? Integer.parseInt(env) : 5037;
    }

    String host() {
        if (adbHost != null && !adbHost.isBlank()) {
            return adbHost.strip();
        }
        String env = System.getenv("ANDROID_ADB_SERVER_HOST");
        return env != null && !env.isBlank() ? env.strip() : AdbServer.LOCAL;
    }

    /** The adb server (started when none runs on the port of this computer); the caller closes it. */
    AdbServer server() throws DeviceException {
        AdbServer server = AdbServer.start(AdbServer.findAdb(System.getenv()), host(), port(), java.util.Map.of());
        if (connect != null) {
            int colon = connect.lastIndexOf(':');
            if (colon <= 0 || !connect.substring(colon + 1).matches("\\d{1,5}")) {
                server.close();
                throw new IllegalArgumentException("--connect takes HOST:PORT, got " + connect);
            }
            server.connect(connect.substring(0, colon), Integer.parseInt(connect.substring(colon + 1)));
        }
        return server;
    }

    /** Every device: the host device first, then the phones adb sees (none, with a note, when adb is missing). */
    Listing list() throws DeviceException {
        List<Device> devices = new ArrayList<>();
        devices.add(HostDevice.inCache());
        String note = null;
        AdbServer server = null;
        try {
            server = server();
            devices.addAll(AdbDevices.list(server));
        } catch (AdbUnavailableException e) {
            note = e.getMessage();
        }
        return new Listing(devices, server, note);
    }

    /** The device with this serial ({@code host} for this computer); the caller closes the listing. */
    Selected open(String serial) throws DeviceException {
        if (serial == null || serial.equals(HostDevice.SERIAL)) {
            return new Selected(HostDevice.inCache(), null);
        }
        AdbServer server = server();
        try {
            for (AdbDevice d : AdbDevices.list(server)) {
                if (d.serial().equals(serial)) {
                    return new Selected(d, server);
                }
            }
            List<String> serials = server.devices().stream().map(AdbServer.Entry::serial).toList();
            throw new IllegalArgumentException("no device " + serial + " on the adb server at " + server.host() + ":" + server.port()
                    + "; online: host" + (serials.isEmpty() ? "" : ", " + String.join(", ", serials))
                    + " (see mrw devices; plug the phone in with USB debugging on, or --connect HOST:PORT)");
        } catch (RuntimeException | DeviceException e) {
            server.close();
            throw e;
        }
    }

    /** Devices found and the adb server they came through. */
    record Listing(List<Device> devices, AdbServer server, String note) implements AutoCloseable {
        @Override
        public void close() {
            for (Device d : devices) {
                try {
                    d.close();
                } catch (DeviceException | RuntimeException ignored) {
                    // listing only
                }
            }
            if (server != null) {
                try {
                    server.close();
                } catch (DeviceException ignored) {
                    // the server we started is gone already
                }
            }
        }
    }

    /** One device and the adb server it came through (null for the host device). */
    record Selected(Device device, AdbServer server) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                device.close();
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
    }
}
