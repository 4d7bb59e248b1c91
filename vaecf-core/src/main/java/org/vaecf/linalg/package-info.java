/**
 * Off-heap float matrices and the operations on them: dense products through OpenBLAS (JavaCPP preset, operands in
 * direct memory so no JNI copies), and a deterministic parallel loop for elementwise work. Depends on nothing else in
 * vaecf.
 */
package org.vaecf.linalg;
