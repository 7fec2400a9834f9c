package org.mrw.core.figure;

import java.util.List;
import java.util.Objects;

/**
 * A results table: typed columns and rows of typed cells, written by {@link Tables} as LaTeX, CSV or JSON.
 *
 * @param caption caption (LaTeX) or null
 * @param columns the columns, left to right
 * @param rows    rows whose cell count equals the column count
 */
public record Table(String caption, List<Column> columns, List<List<Cell>> rows) {

    public Table {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != columns.size()) {
                throw new IllegalArgumentException("row " + i + " has " + rows.get(i).size() + " cells for "
                        + columns.size() + " columns");
            }
        }
    }

    /**
     * A column.
     *
     * @param name              header text (plain Unicode; the LaTeX writer escapes it)
     * @param decimals          fixed decimals for numbers and estimates
     * @param intervalDecimals  fixed decimals for the ends of an estimate's interval
     */
    public record Column(String name, int decimals, int intervalDecimals) {

        public Column {
            Objects.requireNonNull(name, "name");
            if (decimals < 0 || intervalDecimals < 0) {
                throw new IllegalArgumentException("decimals must be non-negative");
            }
        }

        /** A text column. */
        public static Column text(String name) {
            return new Column(name, 0, 0);
        }

        /** A whole-number column (counts). */
        public static Column integer(String name) {
            return new Column(name, 0, 0);
        }

        /** A number column: {@code decimals} for values, one fewer for interval ends ("0.812 [0.79, 0.83]"). */
        public static Column number(String name, int decimals) {
            return new Column(name, decimals, Math.max(0, decimals - 1));
        }
    }

    /** One cell. */
    public sealed interface Cell permits Text, Int, Num, Estimate, Empty {
    }

    /** Text. */
    public record Text(String value) implements Cell {
        public Text {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A whole number. */
    public record Int(long value) implements Cell {
    }

    /** A real number, printed with the column's decimals. */
    public record Num(double value) implements Cell {
    }

    /** A point estimate with its (95 %) interval. */
    public record Estimate(double value, double low, double high) implements Cell {
    }

    /** No value. */
    public record Empty() implements Cell {
    }

    public static Cell text(String s) {
        return new Text(s);
    }

    public static Cell integer(long v) {
        return new Int(v);
    }

    public static Cell number(double v) {
        return new Num(v);
    }

    public static Cell estimate(double value, double low, double high) {
        return new Estimate(value, low, high);
    }

    public static Cell empty() {
        return new Empty();
    }
}
