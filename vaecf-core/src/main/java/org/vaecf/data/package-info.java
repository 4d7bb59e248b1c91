/**
 * Interaction data: raw id ↔ dense index ({@link org.vaecf.data.IdIndex}), the binary sparse matrix
 * ({@link org.vaecf.data.CsrMatrix}), interaction logs and the streaming readers of their file formats.
 * Depends on nothing else in vaecf.
 */
package org.vaecf.data;
