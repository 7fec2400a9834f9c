package org.mrw.core.store;

/**
 * A unit of work whose rows are committed together with a "done" marker in one transaction, so a run
 * killed at any moment resumes without recomputing or duplicating a finished unit.
 *
 * @param source     source model id ("" for the clean pass)
 * @param attack     attack name, or "clean"
 * @param target     target id
 * @param repetition repetition index
 * @param batchStart position of the batch's first sample in the run's sample list
 */
public record BatchKey(String source, String attack, String target, int repetition, int batchStart) {
}
