/**
 * The {@code vaecf} command line: one picocli command class per subcommand, options mapped onto the core's
 * configuration objects, user mistakes reported as one-line errors (exit 2 for usage, 1 for failures). Depends on
 * {@code vaecf-core} and {@code vaecf-server} (for {@code serve}); {@code bench serve} drives a separate server
 * process with {@code wrk}.
 */
package org.vaecf.cli;
