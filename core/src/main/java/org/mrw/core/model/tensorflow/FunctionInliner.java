package org.mrw.core.model.tensorflow;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * Rewrites a graph so that its function calls ({@code PartitionedCall}, {@code StatefulPartitionedCall}
 * and direct calls), as Keras exports them, become the functions' bodies inline.
 *
 * <p>Why: {@code Graph.addGradients} differentiates a call through a {@code SymbolicGradient} op,
 * which uses TensorFlow's separate, smaller function-gradient registry and fails on the first run for
 * ops it lacks ({@code MaxPoolV2}, and {@code FusedBatchNormV3} in Keras models). Inlined, every op
 * goes through the C++ gradient registry of {@code addGradients} itself.
 *
 * <p>A call node {@code c} becomes: one {@code Identity} per argument ({@code c/inl/<arg>}), the body's
 * nodes under {@code c/inl/}, and an {@code IdentityN} named {@code c} that forwards the results, so
 * tensors {@code c:i} keep their names. Nested calls are inlined pass by pass.
 *
 * <p>Only the nodes the wanted output depends on are kept, ready for {@code Graph.importGraphDef}
 * under a prefix into the graph the SavedModel was loaded into. The copy must read the loaded
 * variables: resource variables share them through their {@code shared_name}, and variables without
 * one get their original node name pinned as shared name, which is the resource name TensorFlow gave
 * the originals.
 *
 * <p>Tested on graphs built with TF Java that call functions the way Keras does; no model saved by
 * Keras itself could be made on the machine this was written on (no TensorFlow Python).
 */
final class FunctionInliner {

    private static final Set<String> CALL_OPS = Set.of("StatefulPartitionedCall", "PartitionedCall");
    private static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable", "VarHandleOp");
    /** Deeper nesting than any Keras export (model → layer → sub-layer) needs. */
    private static final int MAX_DEPTH = 64;

    private static Map<String, OpDef> registeredOps;

    private final Map<String, OpDef> ops;
    private final Map<String, FunctionDef> functions = new HashMap<>();

    private FunctionInliner(GraphDef graph) {
        this.ops = registeredOps();
        for (FunctionDef function : graph.getLibrary().getFunctionList()) {
            functions.put(function.getSignature().getName(), function);
        }
    }

    /**
     * The nodes {@code outputNode} depends on, with every function call inlined and the variables
     * pinned to the loaded ones.
     *
     * @throws IllegalArgumentException when a call cannot be inlined (unknown function or op, or too deep)
     */
    static GraphDef inlineFor(GraphDef graph, String outputNode) {
        FunctionInliner inliner = new FunctionInliner(graph);
        List<NodeDef> nodes = graph.getNodeList();
        for (int depth = 0; ; depth++) {
            List<NodeDef> next = new ArrayList<>(nodes.size());
            boolean inlined = false;
            for (NodeDef node : nodes) {
                String function = inliner.calledFunction(node);
                if (function == null) {
                    next.add(node);
                } else {
                    inliner.inline(node, function, next);
                    inlined = true;
                }
            }
            nodes = next;
            if (!inlined) {
                break;
            }
            if (depth == MAX_DEPTH) {
                throw new IllegalArgumentException("function calls nest deeper than " + MAX_DEPTH + " levels");
            }
        }
        return graph.toBuilder().clearNode().addAllNode(pinVariables(ancestors(nodes, outputNode))).build();
    }

    private String calledFunction(NodeDef node) {
        if (CALL_OPS.contains(node.getOp())) {
            return node.getAttrOrThrow("f").getFunc().getName();
        }
        return functions.containsKey(node.getOp()) ? node.getOp() : null;
    }

    private void inline(NodeDef call, String name, List<NodeDef> out) {
        FunctionDef function = functions.get(name);
        if (function == null) {
            throw new IllegalArgumentException("node " + call.getName() + " calls function " + name
                    + ", which the graph does not define");
        }
        String prefix = call.getName() + "/inl/";
        Map<String, NodeDef> body = new HashMap<>();
        for (NodeDef node : function.getNodeDefList()) {
            body.put(node.getName(), node);
        }
        List<String> data = new ArrayList<>();
        List<String> control = new ArrayList<>();
        for (String input : call.getInputList()) {
            (input.startsWith("^") ? control : data).add(input);
        }
        List<OpDef.ArgDef> arguments = function.getSignature().getInputArgList();
        if (arguments.size() != data.size()) {
            throw new IllegalArgumentException("node " + call.getName() + " passes " + data.size() + " arguments to "
                    + name + ", which takes " + arguments.size());
        }
        for (int i = 0; i < arguments.size(); i++) {
            OpDef.ArgDef argument = arguments.get(i);
            DataType type = argument.getType() != DataType.DT_INVALID ? argument.getType()
                    : call.getAttrOrThrow("Tin").getList().getType(i);
            out.add(NodeDef.newBuilder().setName(prefix + argument.getName()).setOp("Identity")
                    .addInput(data.get(i)).addAllInput(control)
                    .putAttr("T", AttrValue.newBuilder().setType(type).build()).build());
        }
        for (NodeDef node : function.getNodeDefList()) {
            // Colocation hints name nodes of the function; on one CPU they are meaningless, and stale after renaming.
            NodeDef.Builder copy = node.toBuilder().setName(prefix + node.getName()).clearInput().removeAttr("_class");
            for (String input : node.getInputList()) {
                copy.addInput(translate(input, prefix, body));
            }
            out.add(copy.build());
        }
        List<String> results = new ArrayList<>();
        List<DataType> types = new ArrayList<>();
        for (OpDef.ArgDef output : function.getSignature().getOutputArgList()) {
            results.add(translate(function.getRetOrThrow(output.getName()), prefix, body));
            types.add(output.getType());
        }
        NodeDef.Builder forward = NodeDef.newBuilder().setName(call.getName());
        if (results.isEmpty()) {
            forward.setOp("NoOp");
        } else {
            AttrValue.ListValue typeList = AttrValue.ListValue.newBuilder().addAllType(types).build();
            forward.setOp("IdentityN").addAllInput(results).putAttr("T", AttrValue.newBuilder().setList(typeList).build());
        }
        for (String node : function.getControlRetMap().values()) {
            forward.addInput("^" + prefix + node);
        }
        out.add(forward.build());
    }

    /**
     * A function body names tensors {@code node:output_arg:index} (or an argument by its name); a
     * graph names them {@code node:flat_index}.
     */
    private String translate(String input, String prefix, Map<String, NodeDef> body) {
        if (input.startsWith("^")) {
            return "^" + prefix + input.substring(1);
        }
        String[] parts = input.split(":");
        if (parts.length == 1) {
            return prefix + input;
        }
        if (parts.length != 3) {
            throw new IllegalArgumentException("unexpected tensor name in a function body: " + input);
        }
        NodeDef source = body.get(parts[0]);
        if (source == null) {
            throw new IllegalArgumentException("a function body refers to unknown node " + parts[0]);
        }
        int index = 0;
        for (OpDef.ArgDef output : outputArgs(source)) {
            if (output.getName().equals(parts[1])) {
                return prefix + parts[0] + ":" + (index + Integer.parseInt(parts[2]));
            }
            index += tensorCount(output, source);
        }
        throw new IllegalArgumentException("node " + parts[0] + " (" + source.getOp() + ") has no output " + parts[1]);
    }

    private List<OpDef.ArgDef> outputArgs(NodeDef node) {
        if (!CALL_OPS.contains(node.getOp()) && functions.containsKey(node.getOp())) {
            return functions.get(node.getOp()).getSignature().getOutputArgList();
        }
        OpDef op = ops.get(node.getOp());
        if (op == null) {
            throw new IllegalArgumentException("op " + node.getOp() + " is not registered in this TensorFlow");
        }
        return op.getOutputArgList();
    }

    /** Tensors in one output argument: a number attribute, a type list, or one. Attributes may be left at their default. */
    private int tensorCount(OpDef.ArgDef output, NodeDef node) {
        if (!output.getNumberAttr().isEmpty()) {
            return Math.toIntExact(attr(node, output.getNumberAttr()).getI());
        }
        if (!output.getTypeListAttr().isEmpty()) {
            return attr(node, output.getTypeListAttr()).getList().getTypeCount();
        }
        return 1;
    }

    private AttrValue attr(NodeDef node, String name) {
        AttrValue value = node.getAttrMap().get(name);
        if (value != null) {
            return value;
        }
        OpDef op = ops.get(node.getOp());
        if (op != null) {
            for (OpDef.AttrDef attr : op.getAttrList()) {
                if (attr.getName().equals(name) && attr.hasDefaultValue()) {
                    return attr.getDefaultValue();
                }
            }
        }
        throw new IllegalArgumentException("node " + node.getName() + " lacks attribute " + name);
    }

    /** The nodes {@code output} depends on through data or control inputs, in graph order. */
    private static List<NodeDef> ancestors(List<NodeDef> nodes, String output) {
        Map<String, NodeDef> byName = new HashMap<>();
        for (NodeDef node : nodes) {
            byName.put(node.getName(), node);
        }
        if (!byName.containsKey(output)) {
            throw new IllegalArgumentException("the graph has no node " + output);
        }
        Set<String> needed = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(output));
        while (!queue.isEmpty()) {
            String name = queue.pop();
            NodeDef node = byName.get(name);
            if (node == null || !needed.add(name)) {
                continue;
            }
            for (String input : node.getInputList()) {
                String source = input.startsWith("^") ? input.substring(1) : input;
                int colon = source.indexOf(':');
                queue.push(colon < 0 ? source : source.substring(0, colon));
            }
        }
        return nodes.stream().filter(node -> needed.contains(node.getName())).toList();
    }

    private static List<NodeDef> pinVariables(List<NodeDef> nodes) {
        List<NodeDef> pinned = new ArrayList<>(nodes.size());
        for (NodeDef node : nodes) {
            AttrValue shared = node.getAttrMap().get("shared_name");
            boolean unnamed = shared == null || shared.getS().isEmpty();
            pinned.add(VARIABLE_OPS.contains(node.getOp()) && unnamed
                    ? node.toBuilder().putAttr("shared_name", AttrValue.newBuilder().setS(
                            ByteString.copyFromUtf8(node.getName())).build()).build()
                    : node);
        }
        return pinned;
    }

    private static synchronized Map<String, OpDef> registeredOps() {
        if (registeredOps == null) {
            Map<String, OpDef> byName = new HashMap<>();
            for (OpDef op : TensorFlow.registeredOpList().getOpList()) {
                byName.put(op.getName(), op);
            }
            registeredOps = byName;
        }
        return registeredOps;
    }
}
