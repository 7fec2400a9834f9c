package org.mrw.core.cluster;

import java.util.Set;

/**
 * One task of a job array as SLURM reports it.
 *
 * @param index    the array index ({@code $SLURM_ARRAY_TASK_ID}), which is also the shard number
 * @param state    SLURM's job state (COMPLETED, FAILED, RUNNING, ...)
 * @param exitCode the batch script's exit code (the first half of SLURM's {@code ExitCode=7:0})
 * @param signal   the signal that ended it, 0 if none
 */
public record ArrayTask(int index, String state, int exitCode, int signal) {

    /** States a task never leaves (squeue stops listing it). */
    private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL",
            "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "REVOKED");

    /** True once the task has ended, one way or another. */
    public boolean ended() {
        return ENDED.contains(state);
    }

    /** True when the task ran to the end and its script exited 0. */
    public boolean succeeded() {
        return "COMPLETED".equals(state) && exitCode == 0 && signal == 0;
    }
}
