package org.mrw.core.attack;

/** What an attack needs from the model it attacks. */
public enum Access {
    /** Input gradients ({@code GradientClassifier}): white-box. */
    GRADIENTS,
    /** Class scores only: black-box, score-based. */
    SCORES,
    /** Predicted labels only: black-box, decision-based. */
    DECISIONS
}
