package org.vaecf.data.split;

/** Which held-out users to evaluate on. */
public enum EvaluationPart {
  /** The users that choose the best epoch during training. */
  VALIDATION,
  /** The users reserved for the final report. */
  TEST
}
