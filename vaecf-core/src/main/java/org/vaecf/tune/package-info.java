/**
 * Hyper-parameter procedures built on the trainer: the β search of Liang et al. (WWW 2018, §2.2.2 and Figure 2).
 * Depends on {@code train}, {@code model} and {@code data}.
 */
package org.vaecf.tune;
