package org.mrw.core.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mrw.core.device.Device;
import org.mrw.core.device.DeviceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mrw devices}: the host device and every phone the adb server sees. */
@Command(name = "devices", description = "List devices: this computer (the host device) and phones seen by adb.")
final class DevicesCommand implements Callable<Integer> {

    @Mixin
    DeviceArgs deviceArgs;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws DeviceException {
        try (DeviceArgs.Listing listing = deviceArgs.list()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            StringBuilder text = new StringBuilder(String.format("%-24s %-40s %-10s %s%n", "serial", "model", "android", "ABIs"));
            for (Device d : listing.devices()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("serial", d.serial());
                row.put("model", d.model());
                row.put("manufacturer", d.manufacturer());
                row.put("android", d.androidVersion());
                row.put("sdk", d.sdkLevel());
                row.put("abi", d.abis().isEmpty() ? null : d.abis().get(0));
                row.put("abis", d.abis());
                row.put("host", d.host());
                rows.add(row);
                text.append(String.format("%-24s %-40s %-10s %s%n", d.serial(), d.model(), d.androidVersion(), String.join(",", d.abis())));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("devices", rows);
            doc.put("adbPort", deviceArgs.port());
            if (listing.note() != null) {
                doc.put("note", listing.note());
                text.append("note: ").append(listing.note());
            }
            output.print(spec.commandLine().getOut(), doc, text.toString().stripTrailing());
        }
        return 0;
    }
}
