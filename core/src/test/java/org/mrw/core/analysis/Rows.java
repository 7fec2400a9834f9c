package org.mrw.core.analysis;

import org.mrw.core.store.ResultRow;

/** Hand-built result rows: every sample has label 0, and a wrong prediction is class 1. */
final class Rows {

    static final String FLOAT = "float";
    static final String INT8 = "int8";

    private Rows() {
    }

    static ResultRow clean(String target, int sample, boolean correct) {
        return clean(target, sample, correct, 0);
    }

    static ResultRow clean(String target, int sample, boolean correct, int repetition) {
        return new ResultRow(sample, 0, "", ResultRow.CLEAN, 0, false, target, repetition, correct ? 0 : 1,
                0.9f, correct ? 2f : -2f, 0f, 0f);
    }

    static ResultRow fgsm(String target, int sample, int repetition, boolean correct, float margin, float l2) {
        return new ResultRow(sample, 0, FLOAT, "fgsm", 0.1, false, target, repetition, correct ? 0 : 1,
                0.6f, margin, 0.1f, l2);
    }
}
