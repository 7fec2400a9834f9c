package org.mrw.core.figure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.mrw.core.figure.Table.Cell;
import org.mrw.core.figure.Table.Column;

/**
 * Writes a {@link Table} as a LaTeX booktabs table, as RFC 4180 CSV, or as JSON rows. Numbers are
 * plain fixed-decimal text (no siunitx needed), formatted in the root locale.
 */
public final class Tables {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Tables() {
    }

    // ---------------------------------------------------------------- LaTeX

    /**
     * A {@code table} environment with a booktabs {@code tabular}: text columns left, numeric columns
     * right-aligned. Needs the booktabs package.
     */
    public static String latex(Table table) {
        StringBuilder b = new StringBuilder();
        b.append("\\begin{table}[t]\n\\centering\n");
        if (table.caption() != null) {
            b.append("\\caption{").append(escapeLatex(table.caption())).append("}\n");
        }
        b.append("\\begin{tabular}{");
        for (int c = 0; c < table.columns().size(); c++) {
            b.append(numeric(table, c) ? 'r' : 'l');
        }
        b.append("}\n\\toprule\n");
        b.append(table.columns().stream().map(col -> escapeLatex(col.name())).collect(Collectors.joining(" & ")))
                .append(" \\\\\n\\midrule\n");
        for (List<Cell> row : table.rows()) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < row.size(); c++) {
                cells.add(latexCell(row.get(c), table.columns().get(c)));
            }
            b.append(String.join(" & ", cells)).append(" \\\\\n");
        }
        b.append("\\bottomrule\n\\end{tabular}\n\\end{table}\n");
        return b.toString();
    }

    private static boolean numeric(Table t, int c) {
        return !t.rows().isEmpty() && t.rows().stream().map(r -> r.get(c))
                .allMatch(cell -> !(cell instanceof Table.Text));
    }

    private static String latexCell(Cell cell, Column col) {
        if (cell instanceof Table.Text t) {
            return escapeLatex(t.value());
        }
        if (cell instanceof Table.Empty) {
            return "--";
        }
        // Numbers: a true minus sign rather than a hyphen.
        return text(cell, col).replace("-", "$-$").replace("NaN", "--");
    }

    /**
     * Escapes LaTeX's special characters ({@code \ { } $ & % # _ ~ ^ < >}), turns line breaks into spaces, and writes the Unicode symbols the
     * workbench uses (ε, ∞, ×, →, ±, ≤, ≥, ·) as math so that pdfLaTeX needs no extra packages.
     */
    public static String escapeLatex(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\textbackslash{}");
                case '{', '}', '$', '&', '%', '#', '_' -> b.append('\\').append(ch);
                case '~' -> b.append("\\textasciitilde{}");
                case '^' -> b.append("\\textasciicircum{}");
                case '<' -> b.append("\\textless{}"); // OT1 encoding would print ¡ and ¿
                case '>' -> b.append("\\textgreater{}");
                case '\n', '\r' -> b.append(' '); // a blank line would end the table row's paragraph
                case 'ε' -> b.append("$\\varepsilon$");
                case '∞' -> b.append("$\\infty$");
                case '×' -> b.append("$\\times$");
                case '→' -> b.append("$\\rightarrow$");
                case '±' -> b.append("$\\pm$");
                case '≤' -> b.append("$\\leq$");
                case '≥' -> b.append("$\\geq$");
                case '·' -> b.append("$\\cdot$");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- plain text

    /** A cell as plain text: numbers with the column's fixed decimals, estimates as "0.812 [0.79, 0.83]". */
    public static String text(Cell cell, Column col) {
        if (cell instanceof Table.Text t) {
            return t.value();
        }
        if (cell instanceof Table.Int i) {
            return Long.toString(i.value());
        }
        if (cell instanceof Table.Num n) {
            return fixed(n.value(), col.decimals());
        }
        if (cell instanceof Table.Estimate e) {
            return fixed(e.value(), col.decimals()) + " [" + fixed(e.low(), col.intervalDecimals()) + ", "
                    + fixed(e.high(), col.intervalDecimals()) + "]";
        }
        return "";
    }

    private static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.matches("-0(\\.0*)?") ? s.substring(1) : s; // no "-0.000"
    }

    // ---------------------------------------------------------------- CSV

    /**
     * RFC 4180 CSV with a header row and CRLF line ends. An estimate column becomes three columns
     * ({@code name}, {@code name_low}, {@code name_high}) so spreadsheets get numbers, not text.
     */
    public static String csv(Table table) {
        List<Boolean> estimates = new ArrayList<>();
        for (int c = 0; c < table.columns().size(); c++) {
            final int col = c;
            estimates.add(table.rows().stream().anyMatch(r -> r.get(col) instanceof Table.Estimate));
        }
        StringBuilder b = new StringBuilder();
        List<String> header = new ArrayList<>();
        for (int c = 0; c < table.columns().size(); c++) {
            String name = table.columns().get(c).name();
            header.add(name);
            if (estimates.get(c)) {
                header.add(name + "_low");
                header.add(name + "_high");
            }
        }
        csvLine(b, header);
        for (List<Cell> row : table.rows()) {
            List<String> fields = new ArrayList<>();
            for (int c = 0; c < row.size(); c++) {
                Cell cell = row.get(c);
                Column col = table.columns().get(c);
                if (cell instanceof Table.Estimate e) {
                    fields.add(fixed(e.value(), col.decimals()));
                    fields.add(fixed(e.low(), col.decimals()));
                    fields.add(fixed(e.high(), col.decimals()));
                } else {
                    fields.add(text(cell, col));
                    if (estimates.get(c)) {
                        fields.add("");
                        fields.add("");
                    }
                }
            }
            csvLine(b, fields);
        }
        return b.toString();
    }

    private static void csvLine(StringBuilder b, List<String> fields) {
        b.append(fields.stream().map(Tables::csvField).collect(Collectors.joining(","))).append("\r\n");
    }

    /** One CSV field, quoted when it holds a comma, quote, CR or LF (quotes doubled), per RFC 4180. */
    public static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    // ---------------------------------------------------------------- JSON

    /**
     * A JSON array with one object per row, keyed by column name: text as strings, numbers as numbers
     * (full precision), estimates as {@code {"value":…, "low":…, "high":…}}, empty cells as null.
     */
    public static String json(Table table) {
        ArrayNode rows = JSON.createArrayNode();
        for (List<Cell> row : table.rows()) {
            ObjectNode o = rows.addObject();
            for (int c = 0; c < row.size(); c++) {
                String key = table.columns().get(c).name();
                Cell cell = row.get(c);
                if (cell instanceof Table.Text t) {
                    o.put(key, t.value());
                } else if (cell instanceof Table.Int i) {
                    o.put(key, i.value());
                } else if (cell instanceof Table.Num n) {
                    o.put(key, n.value());
                } else if (cell instanceof Table.Estimate e) {
                    o.putObject(key).put("value", e.value()).put("low", e.low()).put("high", e.high());
                } else {
                    o.putNull(key);
                }
            }
        }
        try {
            return JSON.writeValueAsString(rows);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }
}
