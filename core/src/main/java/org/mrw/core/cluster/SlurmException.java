package org.mrw.core.cluster;

/** A SLURM problem the user can act on: no sbatch here, a refused submission, an unknown job. */
public final class SlurmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SlurmException(String message) {
        super(message);
    }

    public SlurmException(String message, Throwable cause) {
        super(message, cause);
    }
}
