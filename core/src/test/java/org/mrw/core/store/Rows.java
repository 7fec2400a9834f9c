package org.mrw.core.store;

import java.util.ArrayList;
import java.util.List;

/** Result rows for tests: one per sample of a unit, with values derived from the sample so they can be checked. */
final class Rows {

    static final BatchKey FGSM = new BatchKey("cnn_float", "fgsm", "cnn_tflite_int8", 0, 0);

    private Rows() {
    }

    static BatchKey unit(int batchStart) {
        return new BatchKey(FGSM.source(), FGSM.attack(), FGSM.target(), FGSM.repetition(), batchStart);
    }

    /** {@code n} rows for samples {@code key.batchStart()} .. +n-1 at ε 0.03. */
    static List<ResultRow> of(BatchKey key, int n) {
        List<ResultRow> rows = new ArrayList<>(n);
        for (int i = key.batchStart(); i < key.batchStart() + n; i++) {
            rows.add(new ResultRow(i, i % 10, key.source(), key.attack(), 0.03, i % 2 == 0, key.target(), key.repetition(),
                    (i * 7) % 10, 0.5f + (i % 50) / 100f, (i % 9) - 4.5f, 0.03f, 0.25f + i / 1000f));
        }
        return rows;
    }
}
