/** Throughput benchmarks behind {@code mrw bench}: medians of repeated runs after warm-up, and ratios. */
package org.mrw.core.bench;
