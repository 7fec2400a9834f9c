package org.mrw.protocol;

import java.util.Collections;
import java.util.List;

/** What the agent said about itself in WELCOME: versions, the device, its runtimes. */
public final class AgentInfo {

    private final int protocolVersion;
    private final String agentVersion;
    private final String deviceModel;
    private final String deviceAbi;
    private final String deviceOs;
    private final List<RuntimeInfo> runtimes;
    private final Header header;

    public AgentInfo(int protocolVersion, String agentVersion, String deviceModel, String deviceAbi, String deviceOs,
            List<RuntimeInfo> runtimes, Header header) {
        this.protocolVersion = protocolVersion;
        this.agentVersion = agentVersion;
        this.deviceModel = deviceModel;
        this.deviceAbi = deviceAbi;
        this.deviceOs = deviceOs;
        this.runtimes = Collections.unmodifiableList(runtimes);
        this.header = header;
    }

    public int protocolVersion() {
        return protocolVersion;
    }

    public String agentVersion() {
        return agentVersion;
    }

    /** e.g. "Google Pixel 7" on a phone, "host Linux 6.1" on this computer. */
    public String deviceModel() {
        return deviceModel;
    }

    /** e.g. "arm64-v8a" on a phone, "amd64" on this computer. */
    public String deviceAbi() {
        return deviceAbi;
    }

    /** e.g. "Android 14 (API 34)", "Linux 6.1.0". */
    public String deviceOs() {
        return deviceOs;
    }

    public List<RuntimeInfo> runtimes() {
        return runtimes;
    }

    /** The runtime of that wire name, or null. */
    public RuntimeInfo runtime(String name) {
        for (RuntimeInfo r : runtimes) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** The full WELCOME header (more device fields, thread count), for the run's provenance record. */
    public Header header() {
        return header;
    }

    @Override
    public String toString() {
        return "mrw-agent " + agentVersion + " (protocol " + protocolVersion + ") on " + deviceModel + ", " + deviceAbi + ", "
                + deviceOs + "; runtimes " + runtimes;
    }
}
