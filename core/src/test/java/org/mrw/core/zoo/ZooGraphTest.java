package org.mrw.core.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.NpzArrays.FloatArray;

/** Reading a zoo graph: shapes and ranges, and messages naming the file and node for broken graphs. */
class ZooGraphTest {

    @TempDir
    Path dir;

    private Path broken(Consumer<TestGraph> change) throws IOException {
        TestGraph g = new TestGraph(1);
        change.accept(g);
        return TestGraph.write(dir, g.document(null), g.weights);
    }

    private static Map<String, Object> node(TestGraph g, String name) {
        return g.nodes.stream().filter(n -> n.get("name").equals(name)).findFirst().orElseThrow();
    }

    @Test
    void readsNodesShapesAndWeightsInPytorchLayout() throws IOException {
        ZooGraph graph = ZooGraph.read(broken(g -> { }));
        assertThat(graph.nodes()).hasSize(11);
        assertThat(graph.shape("down")).containsExactly(8, 8, 8);
        assertThat(graph.shape("cat")).containsExactly(12, 8, 8);
        assertThat(graph.shape("pool2")).containsExactly(12, 4, 4);
        assertThat(graph.numClasses()).isEqualTo(10);
        assertThat(graph.weight("dw.weight").shape()).containsExactly(8, 1, 3, 3);
        assertThat(graph.nodesWithoutRange()).contains("input", "fc");
    }

    @Test
    void unknownOpIsNamedWithItsNode() throws IOException {
        Path f = broken(g -> node(g, "pool3").put("op", "avgpool"));
        assertThatThrownBy(() -> ZooGraph.read(f)).isInstanceOf(ZooGraphException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("'pool3'").hasMessageContaining("unknown op 'avgpool'");
    }

    @Test
    void missingWeightIsNamed() throws IOException {
        Path f = broken(g -> g.weights.remove("pw.bias"));
        assertThatThrownBy(() -> ZooGraph.read(f)).hasMessageContaining("'pw'").hasMessageContaining("weight 'pw.bias' is not in");
    }

    @Test
    void weightShapeMismatchShowsBothShapes() throws IOException {
        Path f = broken(g -> g.weights.put("stem.weight", new FloatArray(new int[] {8, 1, 5, 5}, new float[200])));
        assertThatThrownBy(() -> ZooGraph.read(f)).hasMessageContaining("'stem'")
                .hasMessageContaining("[8, 1, 5, 5]").hasMessageContaining("needs [8, 1, 3, 3]");
    }

    @Test
    void unknownInputIsNamed() throws IOException {
        Path f = broken(g -> node(g, "res").put("inputs", List.of("pw", "dwn")));
        assertThatThrownBy(() -> ZooGraph.read(f)).hasMessageContaining("'res'").hasMessageContaining("reads 'dwn'");
    }

    @Test
    void cyclesAreReportedAsCycles() throws IOException {
        Path f = broken(g -> node(g, "down").put("inputs", List.of("pw")));
        assertThatThrownBy(() -> ZooGraph.read(f)).hasMessageContaining("'down'").hasMessageContaining("cycle")
                .hasMessageContaining("pw");
    }

    @Test
    void groupedConvolutionOtherThanDepthwiseIsRefused() throws IOException {
        Path f = broken(g -> {
            node(g, "dw").put("groups", 2);
            g.weights.put("dw.weight", new FloatArray(new int[] {8, 4, 3, 3}, new float[288]));
        });
        assertThatThrownBy(() -> ZooGraph.read(f)).hasMessageContaining("'dw'").hasMessageContaining("groups 2");
    }

    @Test
    void int8ExportNamesTheNodesWithoutRanges() throws IOException {
        TestGraph g = new TestGraph(1);
        Map<String, float[]> ranges = new LinkedHashMap<>();
        ranges.put("input", new float[] {0f, 1f});
        ZooGraph graph = ZooGraph.read(TestGraph.write(dir, g.document(ranges), g.weights));
        assertThatThrownBy(() -> TfliteExport.writeInt8(graph, dir.resolve("x.tflite"))).isInstanceOf(ZooGraphException.class)
                .hasMessageContaining("missing: stem, down");
    }

    @Test
    void weightsThatAreNoNpzAreReportedAgainstTheGraph() throws IOException {
        Path f = broken(g -> { });
        java.nio.file.Files.writeString(dir.resolve("tiny.weights.npz"), "not a zip");
        assertThatThrownBy(() -> ZooGraph.read(f)).isInstanceOf(ZooGraphException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("tiny.weights.npz");
    }
}
