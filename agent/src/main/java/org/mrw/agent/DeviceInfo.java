package org.mrw.agent;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the agent reports about the device in WELCOME: from {@code android.os.Build} on a phone
 * (read by reflection: the agent compiles without android.jar), from system properties on the host.
 */
final class DeviceInfo {

    private DeviceInfo() {
    }

    /** Fields model, manufacturer, abi, os, sdk (phone) or java (host), and {@code android}. */
    static Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<String, Object>();
        try {
            Class<?> build = Class.forName("android.os.Build");
            Class<?> version = Class.forName("android.os.Build$VERSION");
            String manufacturer = str(build, "MANUFACTURER");
            d.put("model", manufacturer + " " + str(build, "MODEL"));
            d.put("manufacturer", manufacturer);
            Object abis = build.getField("SUPPORTED_ABIS").get(null);
            d.put("abi", abis instanceof String[] && ((String[]) abis).length > 0 ? ((String[]) abis)[0] : "unknown");
            int sdk = version.getField("SDK_INT").getInt(null);
            d.put("os", "Android " + str(version, "RELEASE") + " (API " + sdk + ")");
            d.put("sdk", sdk);
            d.put("android", true);
        } catch (ReflectiveOperationException | LinkageError e) {
            d.put("model", "host computer");
            d.put("manufacturer", "");
            d.put("abi", System.getProperty("os.arch"));
            d.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            d.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            d.put("android", false);
        }
        d.put("cpus", java.lang.Runtime.getRuntime().availableProcessors());
        return d;
    }

    private static String str(Class<?> c, String field) throws ReflectiveOperationException {
        Field f = c.getField(field);
        return String.valueOf(f.get(null));
    }
}
