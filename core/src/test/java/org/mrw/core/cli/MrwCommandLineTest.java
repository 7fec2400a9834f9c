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
    void everySubcommandTakesHelpAndPrintsItsUsage() {
        for (String[] command : List.of(new String[] {"info"}, new String[] {"eval"}, new String[] {"run"},
                new String[] {"report"}, new String[] {"merge"}, new String[] {"devices"}, new String[] {"bench", "store"},
                new String[] {"zoo", "verify"})) {
            List<String> args = new ArrayList<>(List.of(command));
            args.add("--help");
            Run r = mrw(args.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
            assertThat(r.out()).startsWith("Usage: mrw " + String.join(" ", command) + " ").contains("-h, --help");
        }
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

    @Test
    void attackPrintsOneRowPerEpsilonWithTransferAndRounding() throws Exception {
        Run r = mrw("attack", "--model", TestModels.path("tiny_cnn.pt").toString(), "--attack", "fgsm", "--eps", "0,0.05",
                "--limit", "100", "--seed", "3", "--round8", "--transfer-to", TestModels.path("tiny_cnn.onnx").toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("attack").asText()).isEqualTo("fgsm");
        assertThat(doc.get("model").asText()).isEqualTo("tiny_cnn");
        assertThat(doc.get("samples").asInt()).isEqualTo(100);
        assertThat(doc.get("cleanAccuracy").asDouble()).isBetween(0.8, 1.0);
        JsonNode results = doc.get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("epsilon").asDouble()).isZero();
        assertThat(results.get(0).get("accuracy").asDouble()).isEqualTo(doc.get("cleanAccuracy").asDouble());
        assertThat(results.get(0).get("medianL2").isNull()).isTrue();
        assertThat(results.get(1).get("accuracy").asDouble()).isLessThan(results.get(0).get("accuracy").asDouble());
        assertThat(results.get(1).get("successRate").asDouble()).isPositive();
        assertThat(results.get(1).get("medianL2").asDouble()).isPositive();
        assertThat(results.get(1).get("effectiveEpsilon").asDouble()).isBetween(0.05, 0.05 + 1 / 510.0);
        // the ONNX twin has the same weights: it judges the adversarials (almost) exactly like the source
        JsonNode transfer = doc.get("transfer").get(0);
        assertThat(transfer.get("source").asText()).isEqualTo("tiny_cnn");
        assertThat(transfer.get("targetFormat").asText()).isEqualTo("ONNX");
        assertThat(transfer.get("results").get(1).get("accuracy").asDouble())
                .isCloseTo(results.get(1).get("accuracy").asDouble(), org.assertj.core.api.Assertions.within(0.02));
        assertThat(doc.get("seconds").asDouble()).isPositive();
    }

    @Test
    void aWhiteBoxAttackOnAnInt8ModelExitsTwoWithAdvice() throws Exception {
        Run r = mrw("attack", "--model", TestModels.path("tiny_cnn_int8.pt").toString(), "--attack", "pgd", "--eps", "0.1", "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.json().get("error").asText()).contains("int8").contains("black-box");
    }

    @Test
    void anUnboundedBudgetIsWrittenInfAndComesOutAsAString() throws Exception {
        Run r = mrw("attack", "--model", TestModels.path("tiny_cnn.pt").toString(), "--attack", "boundary", "--eps", "0.5,inf",
                "--steps", "20", "--directions", "1", "--limit", "20", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode results = r.json().get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(1).get("epsilon").asText()).isEqualTo("inf");
        // unbounded: every image the attack confirmed counts, so accuracy is at most that at ε = 0.5
        assertThat(results.get(1).get("accuracy").asDouble()).isLessThanOrEqualTo(results.get(0).get("accuracy").asDouble());
        Run bad = mrw("attack", "--model", TestModels.path("tiny_cnn.pt").toString(), "--attack", "fgsm", "--eps", "0.1,huge", "--json");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.json().get("error").asText()).contains("'huge' is not a budget").contains("inf for unbounded");
        Run start = mrw("attack", "--model", TestModels.path("tiny_cnn.pt").toString(), "--attack", "fgsm", "--eps", "0.1",
                "--start", "data", "--json");
        assertThat(start.exit()).isEqualTo(2);
        assertThat(start.json().get("error").asText()).contains("start applies to boundary and hopskipjump only, not fgsm");
    }
}
