/**
 * Public data sets by name: the MovieLens releases at GroupLens' published addresses, downloaded with resume,
 * verified against the published MD5 checksum and unpacked atomically. Lives beside the command line because it is
 * network I/O, which the core library does not do. Depends on {@code vaecf-core} ({@code AtomicDirectory}).
 */
package org.vaecf.fetch;
