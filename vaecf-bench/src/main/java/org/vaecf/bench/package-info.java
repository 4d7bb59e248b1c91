/**
 * Benchmarks: the end-to-end training benchmark that compares a step with the machine's GEMM rate, and the JMH
 * benchmarks of the kernels ({@code org.vaecf.bench.jmh}). Depends on {@code vaecf-core}.
 */
package org.vaecf.bench;
