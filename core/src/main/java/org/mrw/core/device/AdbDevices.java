package org.mrw.core.device;

import java.util.ArrayList;
import java.util.List;

/** The phones an adb server can reach, with their properties. */
public final class AdbDevices {

    private AdbDevices() {
    }

    /** Every online device of {@code server} (one getprop call each); offline and unauthorized ones are left out. */
    public static List<AdbDevice> list(AdbServer server) throws DeviceException {
        List<AdbDevice> devices = new ArrayList<>();
        for (AdbServer.Entry e : server.devices()) {
            if (e.online()) {
                devices.add(AdbDevice.viaServer(server, e.serial()));
            }
        }
        return devices;
    }

    /** {@code adb connect host:port} and the device it brings (adbd over TCP, e.g. after {@code adb tcpip}). */
    public static AdbDevice connect(AdbServer server, String host, int port) throws DeviceException {
        String serial = server.connect(host, port);
        if (!server.awaitOnline(serial, java.time.Duration.ofSeconds(10))) {
            throw new DeviceException(serial + " connected but did not come online (unauthorized? accept the prompt on the phone)");
        }
        return AdbDevice.viaServer(server, serial);
    }
}
