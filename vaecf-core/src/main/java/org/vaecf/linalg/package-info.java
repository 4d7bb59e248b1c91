/**
 * Off-heap float matrices and the operations on them: dense products through OpenBLAS (JavaCPP preset, operands in
 * direct memory so no JNI copies), whole or split over threads; the elementwise kernels (SIMD through the Vector API,
 * with bit-identical scalar twins); a read-only matrix packed once into column panels for products with a few rows
 * (a service's output layer, which OpenBLAS would repack on every call); top-k selection; and the parallel loops:
 * deterministic contiguous chunks, or small tasks handed out one at a time. Depends on nothing else in vaecf.
 */
package org.vaecf.linalg;
