package org.mrw.core.figure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mrw.core.figure.Table.Column;

class TablesTest {

    private static final Table TABLE = new Table("Accuracy under FGSM (L∞, ε = 8/255) & 95% CI",
            List.of(Column.text("target_id"), Column.text("notes"), Column.integer("n"),
                    Column.number("clean", 3), Column.number("ε = 8/255", 3)),
            List.of(List.of(Table.text("resnet20_int8"), Table.text("100% of \"hard\" set, seed 1"),
                            Table.integer(1000), Table.number(0.9124), Table.estimate(0.8123, 0.7891, 0.8347)),
                    List.of(Table.text("tflite & pixel_7"), Table.text("line one\nline two"),
                            Table.integer(500), Table.number(-0.0001), Table.empty())));

    @Test
    void latexIsBooktabsWithSpecialsEscapedAndFixedDecimals() throws Exception {
        String tex = Tables.latex(TABLE);
        Files.createDirectories(SampleFigures.OUT);
        Files.writeString(SampleFigures.OUT.resolve("table.tex"), tex);

        assertThat(tex).contains("\\toprule", "\\midrule", "\\bottomrule", "\\begin{tabular}{llrrr}");
        assertThat(tex).contains("resnet20\\_int8", "100\\% of", "tflite \\& pixel\\_7",
                "target\\_id", "$\\varepsilon$ = 8/255", "\\& 95\\% CI");
        assertThat(tex).contains("0.812 [0.79, 0.83]", "0.912", "--");
        assertThat(tex).doesNotContain("-0.000", "ε");
        // No unescaped specials outside the commands we wrote.
        assertThat(tex.replace("\\_", "").replace("\\%", "").replace("\\&", "").replace(" & ", ""))
                .doesNotContain("_", "%", "&");
    }

    @Test
    void csvQuotesPerRfc4180AndRoundTrips() throws Exception {
        String csv = Tables.csv(TABLE);
        Files.writeString(SampleFigures.OUT.resolve("table.csv"), csv);

        assertThat(csv).startsWith("target_id,notes,n,clean,ε = 8/255,ε = 8/255_low,ε = 8/255_high\r\n");
        assertThat(csv).contains("\"100% of \"\"hard\"\" set, seed 1\"", "\"line one\nline two\"");
        List<List<String>> parsed = parse(csv);
        assertThat(parsed).hasSize(3);
        assertThat(parsed.get(1)).containsExactly("resnet20_int8", "100% of \"hard\" set, seed 1", "1000", "0.912",
                "0.812", "0.789", "0.835");
        assertThat(parsed.get(2)).containsExactly("tflite & pixel_7", "line one\nline two", "500", "0.000", "", "", "");
    }

    @Test
    void jsonRowsAreKeyedByColumnWithNumbersAsNumbers() throws Exception {
        JsonNode rows = new ObjectMapper().readTree(Tables.json(TABLE));
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("target_id").asText()).isEqualTo("resnet20_int8");
        assertThat(rows.get(0).get("n").isIntegralNumber()).isTrue();
        assertThat(rows.get(0).get("clean").asDouble()).isEqualTo(0.9124);
        assertThat(rows.get(0).get("ε = 8/255").get("low").asDouble()).isEqualTo(0.7891);
        assertThat(rows.get(1).get("ε = 8/255").isNull()).isTrue();
    }

    /** A strict RFC 4180 reader: the test's own, so a writer bug cannot hide behind a shared one. */
    private static List<List<String>> parse(String csv) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(f.toString());
                f.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                fields.add(f.toString());
                f.setLength(0);
                records.add(fields);
                fields = new ArrayList<>();
                i++;
            } else {
                f.append(c);
            }
        }
        return records;
    }
}
