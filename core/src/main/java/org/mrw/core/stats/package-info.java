/**
 * Pure, seeded statistics for comparing targets: percentile {@link org.mrw.core.stats.Bootstrap} intervals
 * (single and paired), {@link org.mrw.core.stats.McNemar}'s test on paired correctness and the
 * {@link org.mrw.core.stats.Wilcoxon} signed-rank test on paired values. Every result names its method, so
 * tables and reports can say exactly what was computed; conventions follow R's {@code stats} package.
 */
package org.mrw.core.stats;
