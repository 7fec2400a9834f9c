/**
 * Robustness metrics over stored {@link org.mrw.core.store.ResultRow}s: per target and attack
 * {@link org.mrw.core.analysis.Condition}, accuracy against the target's own clean baseline, success
 * rate, flips and perturbation sizes with bootstrap intervals ({@link org.mrw.core.analysis.Metrics}),
 * and paired per-sample comparisons of two targets ({@link org.mrw.core.analysis.Comparisons}).
 */
package org.mrw.core.analysis;
