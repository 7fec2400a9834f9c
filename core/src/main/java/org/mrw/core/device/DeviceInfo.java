package org.mrw.core.device;

import java.util.List;

/**
 * What the workbench knows about a device: its serial and product properties, its ABIs in preference
 * order ({@code ro.product.cpu.abilist}), and whether it is the host computer rather than a phone.
 */
public record DeviceInfo(String serial, String model, String manufacturer, String androidVersion, int sdkLevel,
        List<String> abis, boolean host) {

    public DeviceInfo {
        abis = List.copyOf(abis);
    }

    @Override
    public String toString() {
        return manufacturer + " " + model + " (" + serial + ", Android " + androidVersion + ", SDK " + sdkLevel + ", " + abis + ")";
    }
}
