/**
 * Property-based and fuzz tests (jqwik) over the readers and the bundle loader: hostile input must end in a result or
 * in the documented exception naming the file, never in another exception type.
 */
package org.vaecf.fuzz;
