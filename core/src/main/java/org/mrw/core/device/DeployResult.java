package org.mrw.core.device;

import java.util.List;

/**
 * What {@link Device#deploy(AgentBundle)} did: the ABI whose natives were chosen (null when the bundle
 * has none), the device folder, and the bundle paths pushed and skipped (already there, same SHA-256).
 */
public record DeployResult(String abi, String deviceDirectory, List<String> pushed, List<String> skipped) {

    public DeployResult {
        pushed = List.copyOf(pushed);
        skipped = List.copyOf(skipped);
    }
}
