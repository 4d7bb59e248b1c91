/**
 * Model bundles on disk: a directory of {@code model.json}, {@code items.tsv} and {@code weights.bin}, written
 * atomically and read with version and checksum checks. Depends on {@code model} and {@code data}.
 */
package org.vaecf.io;
