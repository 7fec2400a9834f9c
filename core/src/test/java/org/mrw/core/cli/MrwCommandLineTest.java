package org.mrw.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mrw.core.testing.TestModels;

/** The command line as a user (or a script parsing --json) sees it. */
class MrwCommandLineTest {

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            // The whole of stdout must be one JSON document.
            return new ObjectMapper().readTree(out);
        }
    }

    static Run mrw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Mrw.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void infoListsTheFourEnginesWithVersionsWhileOffline() throws Exception {
        Run r = mrw("info", "--json");
        assertThat(r.exit()).isZero();
        JsonNode doc = r.json();
        List<String> names = new ArrayList<>();
        doc.get("engines").forEach(e -> {
            names.add(e.get("name").asText());
            assertThat(e.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
        });
        assertThat(names).containsExactly("PyTorch", "TensorFlow", "TensorFlow Lite", "ONNX Runtime");
        assertThat(doc.get("engines").get(0).get("version").asText()).isEqualTo("2.7.1");
        assertThat(doc.get("offline").asBoolean()).isTrue();
    }

    @Test
    void evalReportsAccuracyAndThroughputOnTheBundledDataset() throws Exception {
        Run r = mrw("eval", "--model", TestModels.path("tiny_cnn.pt").toString(), "--limit", "1000", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("model").asText()).isEqualTo("tiny_cnn");
        assertThat(doc.get("runtime").asText()).isEqualTo("PyTorch");
        assertThat(doc.get("samples").asInt()).isEqualTo(1000);
        assertThat(doc.get("accuracy").asDouble()).isEqualTo(TestModels.referenceAccuracy("Float"));
        assertThat(doc.get("imagesPerSecond").asDouble()).isPositive();
    }

    @Test
    void evalOfAMissingFileExitsTwoWithTheFileInTheJsonError() throws Exception {
        Run r = mrw("eval", "--model", "/no/such/model.pt", "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.json().get("error").asText()).contains("/no/such/model.pt").contains("no such file");
    }

    @Test
    void aMissingRequiredOptionStillPrintsOneJsonDocument() throws Exception {
        Run r = mrw("eval", "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.json().get("error").asText()).contains("--model");
    }

    @Test
    void withoutJsonTheOutputIsOneReadableLine() {
        Run r = mrw("eval", "--model", TestModels.path("tiny_cnn.onnx").toString(), "--limit", "200");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).startsWith("tiny_cnn (ONNX, ONNX Runtime, float)").contains("accuracy");
    }
}
