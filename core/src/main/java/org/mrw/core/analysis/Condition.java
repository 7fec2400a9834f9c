package org.mrw.core.analysis;

import java.util.Comparator;
import org.mrw.core.store.ResultRow;

/**
 * What a target was shown: adversarials of one attack at one ε from one source model, rounded to 8 bits
 * or not; or the clean images ({@code attack = "clean"}, {@code source = ""}, ε = 0).
 *
 * @param source  id of the model the adversarials were made on ("" for clean)
 * @param attack  attack name, or {@value ResultRow#CLEAN}
 * @param epsilon the attack's budget
 * @param rounded whether adversarials were rounded to 8-bit levels before evaluation
 */
public record Condition(String source, String attack, double epsilon, boolean rounded)
        implements Comparable<Condition> {

    private static final Comparator<Condition> ORDER = Comparator.comparing(Condition::source)
            .thenComparing(Condition::attack).thenComparingDouble(Condition::epsilon)
            .thenComparing(Condition::rounded);

    /** The condition a row was judged under. */
    public static Condition of(ResultRow row) {
        return new Condition(row.source(), row.attack(), row.epsilon(), row.rounded());
    }

    /** Whether these are the clean images. */
    public boolean clean() {
        return ResultRow.CLEAN.equals(attack);
    }

    @Override
    public int compareTo(Condition o) {
        return ORDER.compare(this, o);
    }
}
