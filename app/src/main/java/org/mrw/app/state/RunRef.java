package org.mrw.app.state;

import java.nio.file.Path;

/** A run in a workspace: what the Results, Export and Demo views show. */
public record RunRef(Path workspace, String runId) {
}
