package org.mrw.core.store;

import java.time.Instant;
import java.util.Map;

/**
 * One run of an experiment spec.
 *
 * @param id       unique id (e.g. {@code 20261125-170102-paper})
 * @param name     the spec's name
 * @param spec     the spec as given (YAML text), so the run can be reproduced and its figures regenerated
 * @param versions engine, runtime, device and workbench versions, name → version
 * @param seed     the spec's seed
 * @param started  when the run was created
 * @param finished when it finished, or null while running / interrupted
 * @param status   running, finished, cancelled or failed
 */
public record RunInfo(String id, String name, String spec, Map<String, String> versions, long seed, Instant started,
                      Instant finished, String status) {
}
