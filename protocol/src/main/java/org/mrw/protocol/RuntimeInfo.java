package org.mrw.protocol;

/** One inference runtime as the agent reports it in WELCOME. */
public final class RuntimeInfo {

    private final String name;
    private final String version;
    private final boolean available;
    private final String reason;

    public RuntimeInfo(String name, String version, boolean available, String reason) {
        this.name = name;
        this.version = version;
        this.available = available;
        this.reason = reason;
    }

    /** Wire name: {@code tflite} or {@code pytorch-lite}. */
    public String name() {
        return name;
    }

    /** The runtime library's version; null when unavailable. */
    public String version() {
        return version;
    }

    public boolean available() {
        return available;
    }

    /** Why it is unavailable (missing classes or natives); null when available. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return name + (available ? " " + version : " unavailable: " + reason);
    }
}
