package org.vaecf.data.split;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The ways of splitting interactions into training, validation and test data, with their command-line names. */
public enum SplitProtocol {
  /** The paper's protocol: whole users held out, each held-out user's interactions split into fold-in and held-out. */
  STRONG_GENERALIZATION("strong-generalization"),
  /** Every user in training; each user's interactions split at random by proportions. */
  USER_RATIO("user-ratio"),
  /** Every user in training; each user's last interaction is for test, the one before for validation. */
  LEAVE_LAST_OUT("leave-last-out");

  private final String cliName;

  SplitProtocol(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in {@code stats.json}. */
  public String cliName() {
    return cliName;
  }

  /**
   * The protocol called {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the valid names when there is none
   */
  public static SplitProtocol fromCliName(String name) {
    for (SplitProtocol protocol : values()) {
      if (protocol.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return protocol;
      }
    }
    throw new IllegalArgumentException(
        "unknown split protocol '" + name + "' (valid: "
            + Arrays.stream(values()).map(SplitProtocol::cliName).collect(Collectors.joining(", ")) + ")");
  }

  @Override
  public String toString() {
    return cliName;
  }
}
