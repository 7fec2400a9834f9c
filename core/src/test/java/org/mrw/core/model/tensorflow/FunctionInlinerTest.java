package org.mrw.core.model.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.model.tensorflow.TinySavedModels.Architecture;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

class FunctionInlinerTest {

    @TempDir
    static Path temp;

    private static GraphDef graph;

    @BeforeAll
    static void exportFixture() throws IOException {
        Path dir = TinySavedModels.export(temp.resolve("function_call"), Architecture.fashion().withFunctionCall());
        try (InputStream in = Files.newInputStream(dir.resolve("saved_model.pb"))) {
            graph = SavedModel.parseFrom(in).getMetaGraphs(0).getGraphDef();
        }
    }

    @Test
    void callsBecomeTheirBodiesAndTheCallNameForwardsTheResults() {
        assertThat(graph.getNodeList()).anyMatch(node -> node.getOp().endsWith("PartitionedCall"));
        Map<String, NodeDef> nodes = byName(FunctionInliner.inlineFor(graph, "logits"));

        assertThat(nodes.values()).noneMatch(node -> node.getOp().endsWith("PartitionedCall"));
        // logits = Identity(call:0); the call node's name now holds an IdentityN over the inlined body.
        NodeDef call = nodes.get(nodes.get("logits").getInput(0).split(":")[0]);
        assertThat(call.getOp()).isEqualTo("IdentityN");
        assertThat(nodes.values()).anyMatch(node -> node.getOp().equals("FusedBatchNormV3")
                && node.getName().startsWith(call.getName() + "/inl/"));
    }

    @Test
    void onlyTheOutputsAncestorsAreKeptAndVariablesShareTheLoadedOnes() {
        Map<String, NodeDef> nodes = byName(FunctionInliner.inlineFor(graph, "logits"));
        assertThat(nodes).containsKeys("input", "conv1_kernel").doesNotContainKeys("probabilities", "save/restore_all");
        assertThat(nodes.get("conv1_kernel").getAttrOrThrow("shared_name").getS().toStringUtf8()).isEqualTo("conv1_kernel");
    }

    @Test
    void anUnknownOutputIsReported() {
        assertThatThrownBy(() -> FunctionInliner.inlineFor(graph, "no_such_node"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such_node");
    }

    private static Map<String, NodeDef> byName(GraphDef graph) {
        return graph.getNodeList().stream().collect(Collectors.toMap(NodeDef::getName, Function.identity()));
    }
}
