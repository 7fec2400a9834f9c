/**
 * Sweeps on a batch cluster: an experiment's shards as one SLURM job array, its tasks watched until
 * they end, and the finished shards merged back into one workspace.
 */
package org.mrw.core.cluster;
