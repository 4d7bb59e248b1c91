package org.vaecf.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure during a command into one line on standard error and exit code 1. A stack trace is printed only
 * when {@code VAECF_DEBUG} is set, or for an exception that is not a user's mistake (a bug).
 */
final class FailureHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
    boolean debug = System.getenv("VAECF_DEBUG") != null;
    String message = describe(exception);
    commandLine.getErr().println("error: " + message);
    if (debug || !isUserFacing(exception)) {
      exception.printStackTrace(commandLine.getErr());
    }
    commandLine.getErr().flush();
    return 1;
  }

  /** A message for the user; I/O errors are named by their file. */
  static String describe(Throwable exception) {
    Throwable cause = exception instanceof UncheckedIOException ? exception.getCause() : exception;
    if (cause instanceof NoSuchFileException missing) {
      return missing.getFile() + ": no such file or directory";
    }
    if (cause instanceof AccessDeniedException denied) {
      return denied.getFile() + ": permission denied";
    }
    if (cause instanceof FileSystemException fs) {
      return fs.getFile() + ": " + (fs.getReason() == null ? fs.getClass().getSimpleName() : fs.getReason());
    }
    String text = cause.getMessage();
    return text == null ? cause.getClass().getSimpleName() : text;
  }

  private static boolean isUserFacing(Throwable exception) {
    return exception instanceof IllegalArgumentException
        || exception instanceof IllegalStateException
        || exception instanceof IOException
        || exception instanceof UncheckedIOException
        || exception instanceof java.util.NoSuchElementException
        || exception.getClass().getPackageName().startsWith("org.vaecf");
  }
}
