package org.mrw.core.data;

import java.util.Locale;

/** Which file prefixes or archive keys belong to the {@code train} and {@code test} splits. */
final class Splits {

    private Splits() {
    }

    /** True when {@code split} is unset, or {@code name} belongs to it ({@code t10k} is MNIST's test prefix). */
    static boolean matches(String split, String name) {
        if (split == null) {
            return true;
        }
        String n = name.toLowerCase(Locale.ROOT);
        return split.equals("train") ? n.startsWith("train") || n.startsWith("data_batch") || n.endsWith("_train")
                : n.startsWith("test") || n.startsWith("t10k") || n.endsWith("_test");
    }

    /** {@code " for the test split"}, or empty when no split was asked for. */
    static String describe(String split) {
        return split == null ? "" : " for the " + split + " split";
    }
}
