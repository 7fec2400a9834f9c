package org.mrw.core.model.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.Models;
import org.mrw.core.model.Variant;
import org.mrw.core.model.tflite.TfliteModelWriter.Activation;
import org.mrw.core.model.tflite.TfliteModelWriter.Node;
import org.mrw.core.model.tflite.TfliteModelWriter.Padding;
import org.mrw.core.model.tflite.TfliteModelWriter.Weights;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorType;

class TfliteModelWriterTest {

    /**
     * int8 softmax outputs are multiples of 1/256. Calibrated on the very images it is tested on (so
     * nothing is clipped), rounding at every layer moved the DAG's probabilities by at most 4.1 steps
     * (measured, 500 random images); every intermediate tensor stayed within 9 steps of its own scale.
     */
    private static final float INT8_PROBABILITY_TOLERANCE = 8f / 256f;

    @TempDir
    Path dir;

    private final DagNet dag = new DagNet(11);
    private final ImageBatch calibration = Fixtures.images(21, 200, DagNet.CHANNELS, DagNet.SIDE, DagNet.SIDE);

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyOperatorComputesWhatTheJavaReferenceComputes(Variant variant) throws IOException {
        ImageBatch batch = Fixtures.images(22, 500, DagNet.CHANNELS, DagNet.SIDE, DagNet.SIDE);
        float[] expected = Fixtures.reference(batch, dag::forward);
        float[] actual;
        DagNet.Graph g = dag.graph();
        // Calibrated on the test images: this checks operator arithmetic; clipping of values beyond
        // the calibrated range is what TfliteClassifierTest's separate calibration set exercises.
        Path file = Fixtures.write(variant, g.writer(), g.input(), batch, dir, "dag_" + variant).file();
        try (Classifier c = Models.load(file, null)) {
            actual = c.logits(batch);
        }
        double error = Fixtures.maxAbsDifference(actual, expected);
        double agreement = Fixtures.argMaxAgreement(actual, expected, batch.size(), DagNet.CLASSES);
        if (variant == Variant.FLOAT) {
            assertThat(error).isLessThan(1e-5);
            return;
        }
        assertThat(error).isLessThanOrEqualTo(INT8_PROBABILITY_TOLERANCE);
        assertThat(agreement).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void pytorchWeightsConvertedWithWeightLayoutsGivePytorchResults() throws IOException {
        TorchNet net = new TorchNet(5);
        TfliteModelWriter w = new TfliteModelWriter("torch");
        net.build(w);
        Path file = dir.resolve("torch.tflite");
        w.writeFloat32(file);
        ImageBatch batch = Fixtures.images(6, 50, 3, TorchNet.SIDE, TorchNet.SIDE);
        float[] expected = new float[batch.size() * TorchNet.CLASSES];
        int per = batch.imageSize();
        for (int n = 0; n < batch.size(); n++) {
            float[] y = net.forward(Arrays.copyOfRange(batch.pixels(), n * per, (n + 1) * per));
            System.arraycopy(y, 0, expected, n * TorchNet.CLASSES, TorchNet.CLASSES);
        }
        try (Classifier c = Models.load(file, null)) {
            assertThat(c.logits(batch)).containsExactly(expected, within(1e-4f));
        }
    }

    @Test
    void pytorchPaddingIsWrittenAsSameWhereEquivalentAndAsPadElsewhere() {
        TfliteModelWriter w = new TfliteModelWriter("padding");
        Node x = w.input(8, 8, 1);
        Weights k = Weights.of(new float[9], 1, 3, 3, 1);
        Node same = w.conv2d(x, k, null, 1, 1, Activation.NONE);
        assertThat(same.shape()).containsExactly(1, 8, 8, 1);
        int opsBefore = operators(w, same).size();
        // Stride 2 on an even side: SAME would pad only at the bottom, PyTorch pads both sides.
        Node strided = w.conv2d(same, k, null, 2, 1, Activation.NONE);
        assertThat(strided.shape()).containsExactly(1, 4, 4, 1);
        Node valid = w.conv2d(strided, k, null, 1, 0, Activation.NONE);
        assertThat(valid.shape()).containsExactly(1, 2, 2, 1);

        List<Integer> ops = operators(w, valid);
        assertThat(ops.subList(0, opsBefore)).containsExactly(BuiltinOperator.CONV_2D);
        assertThat(ops).containsExactly(BuiltinOperator.CONV_2D, BuiltinOperator.PAD, BuiltinOperator.CONV_2D,
                BuiltinOperator.CONV_2D);
    }

    private static List<Integer> operators(TfliteModelWriter w, Node output) {
        w.output(output);
        Model m = read(w.toFloat32());
        SubGraph g = m.subgraphs(0);
        List<Integer> ops = new ArrayList<>();
        for (int i = 0; i < g.operatorsLength(); i++) {
            ops.add(m.operatorCodes((int) g.operators(i).opcodeIndex()).builtinCode());
        }
        return ops;
    }

    private static Model read(byte[] bytes) {
        return Model.getRootAsModel(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    private Model int8Dag() {
        DagNet.Graph g = dag.graph();
        return read(g.writer().toInt8(g.writer().calibrate(calibration, Fixtures.spec(g.input())).with(g.input(), 0f, 1f)));
    }

    @Test
    void int8ConvolutionWeightsArePerChannelAndDenseWeightsPerTensorWithMatchingBiasScales() {
        Model m = int8Dag();
        SubGraph g = m.subgraphs(0);
        int checked = 0;
        for (int i = 0; i < g.operatorsLength(); i++) {
            Operator op = g.operators(i);
            int code = m.operatorCodes((int) op.opcodeIndex()).builtinCode();
            if (code != BuiltinOperator.CONV_2D && code != BuiltinOperator.DEPTHWISE_CONV_2D && code != BuiltinOperator.FULLY_CONNECTED) {
                continue;
            }
            Tensor in = g.tensors(op.inputs(0));
            Tensor w = g.tensors(op.inputs(1));
            Tensor b = g.tensors(op.inputs(2));
            QuantizationParameters wq = w.quantization();
            int channels = switch (code) {
                case BuiltinOperator.CONV_2D -> w.shape(0);
                case BuiltinOperator.DEPTHWISE_CONV_2D -> w.shape(3);
                default -> 1;
            };
            assertThat(w.type()).isEqualTo(TensorType.INT8);
            assertThat(wq.scaleLength()).as(w.name()).isEqualTo(channels);
            assertThat(wq.quantizedDimension()).as(w.name()).isEqualTo(code == BuiltinOperator.DEPTHWISE_CONV_2D ? 3 : 0);
            assertThat(b.type()).isEqualTo(TensorType.INT32);
            for (int c = 0; c < channels; c++) {
                assertThat(wq.zeroPoint(c)).isZero();
                assertThat(b.quantization().scale(c)).as(b.name())
                        .isCloseTo(in.quantization().scale(0) * wq.scale(c), within(1e-6f * b.quantization().scale(c)));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(5);
    }

    @Test
    void int8ConcatenationAndPoolingShareOneQuantizationWithTheirInputs() {
        DagNet.Graph graph = dag.graph();
        Model m = read(graph.writer().toInt8(graph.writer().calibrate(calibration, Fixtures.spec(graph.input()))
                .with(graph.input(), 0f, 1f)));
        SubGraph g = m.subgraphs(0);
        for (int i = 0; i < g.operatorsLength(); i++) {
            Operator op = g.operators(i);
            int code = m.operatorCodes((int) op.opcodeIndex()).builtinCode();
            if (code == BuiltinOperator.CONCATENATION || code == BuiltinOperator.MAX_POOL_2D
                    || code == BuiltinOperator.AVERAGE_POOL_2D || code == BuiltinOperator.PAD) {
                QuantizationParameters out = g.tensors(op.outputs(0)).quantization();
                Tensor in = g.tensors(op.inputs(0));
                assertThat(in.quantization().scale(0)).as(in.name()).isEqualTo(out.scale(0));
                assertThat(in.quantization().zeroPoint(0)).as(in.name()).isEqualTo(out.zeroPoint(0));
                if (code == BuiltinOperator.CONCATENATION) {
                    Tensor second = g.tensors(op.inputs(1));
                    assertThat(second.quantization().scale(0)).isEqualTo(out.scale(0));
                    assertThat(second.quantization().zeroPoint(0)).isEqualTo(out.zeroPoint(0));
                }
            }
        }
    }

    @Test
    void int8SoftmaxOutputsUseTheFixedQuantizationOfTfliteKernels() {
        SubGraph g = int8Dag().subgraphs(0);
        QuantizationParameters q = g.tensors(g.outputs(0)).quantization();
        assertThat(q.scale(0)).isEqualTo(1f / 256f);
        assertThat(q.zeroPoint(0)).isEqualTo(-128);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theInputHasAFreeBatchDimensionAndConstantsStartOn16ByteBoundaries(Variant variant) {
        DagNet.Graph graph = dag.graph();
        TfliteModelWriter w = graph.writer();
        Model m = read(variant == Variant.FLOAT ? w.toFloat32()
                : w.toInt8(w.calibrate(calibration, Fixtures.spec(graph.input()))));
        SubGraph g = m.subgraphs(0);
        Tensor input = g.tensors(g.inputs(0));
        assertThat(input.type()).isEqualTo(variant == Variant.FLOAT ? TensorType.FLOAT32 : TensorType.INT8);
        assertThat(input.shapeSignatureAsByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(-1);
        int withData = 0;
        for (int i = 0; i < m.buffersLength(); i++) {
            if (m.buffers(i).dataLength() > 0) {
                assertThat(m.buffers(i).dataAsByteBuffer().position() % 16).as("buffer %d", i).isZero();
                withData++;
            }
        }
        assertThat(withData).isGreaterThan(10);
    }

    @Test
    void calibrationMeasuresTheInputAndEveryOperatorOutput() {
        TinyCnn net = new TinyCnn(3);
        TinyCnn.Graph g = net.graph(true);
        ImageBatch images = Fixtures.images(4, 50, 1, TinyCnn.SIDE, TinyCnn.SIDE);
        Calibration c = g.writer().calibrate(images, Fixtures.spec(g.input()));
        assertThat(c.ranges()).hasSize(4);  // input, conv, flatten, dense
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float p : images.pixels()) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        assertThat(c.range(g.input())).isEqualTo(new Calibration.Range(min, max));
        float[] logits = Fixtures.reference(images, net::forward);
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : logits) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertThat(c.range(g.output()).min()).isCloseTo(lo, within(1e-4f));
        assertThat(c.range(g.output()).max()).isCloseTo(hi, within(1e-4f));
        c.ranges().forEach((node, range) -> {
            if (node.name().startsWith("conv2d") || node.name().startsWith("reshape")) {
                assertThat(range.min()).as(node.name()).isZero();  // after the fused ReLU
            }
        });
    }

    @Test
    void int8WritingNamesTheNodesThatHaveNoRange() {
        TinyCnn.Graph g = new TinyCnn(3).graph(true);
        Calibration onlyInput = Calibration.empty().with(g.input(), 0f, 1f);
        assertThatThrownBy(() -> g.writer().toInt8(onlyInput)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv2d_1").hasMessageContaining(g.output().name());
    }

    @Test
    void shapeMistakesAreRejectedWithTheShapesInvolved() {
        TfliteModelWriter w = new TfliteModelWriter("mistakes");
        Node x = w.input(8, 8, 3);
        Weights oneChannel = Weights.of(new float[4 * 9], 4, 3, 3, 1);
        assertThatThrownBy(() -> w.conv2d(x, oneChannel, null, 1, Padding.SAME, Activation.NONE))
                .hasMessageContaining("[O,H,W,I]").hasMessageContaining("3 input channels").hasMessageContaining("[4, 3, 3, 1]");
        assertThatThrownBy(() -> w.fullyConnected(x, Weights.of(new float[2], 2, 1), null, Activation.NONE))
                .hasMessageContaining("flatten");
        Node pooled = w.maxPool(x, 2, 2, Padding.VALID);
        assertThatThrownBy(() -> w.add(x, pooled, Activation.NONE)).hasMessageContaining("equal shapes");
        assertThatThrownBy(() -> w.reshape(x, -1, 7)).hasMessageContaining("cannot reshape");
        assertThatThrownBy(() -> w.conv2d(x, Weights.of(new float[27], 1, 3, 3, 3), new float[2], 1, Padding.SAME, Activation.NONE))
                .hasMessageContaining("bias needs 1");
        Node foreign = new TfliteModelWriter("other").input(8, 8, 3);
        assertThatThrownBy(() -> w.maxPool(foreign, 2, 2, Padding.VALID)).hasMessageContaining("another writer");
        assertThatThrownBy(() -> Weights.of(new float[5], 2, 2)).hasMessageContaining("needs 4 values");
        assertThatThrownBy(w::toFloat32).isInstanceOf(IllegalStateException.class).hasMessageContaining("output");
    }

    @Test
    void weightLayoutsMoveEachPytorchElementToItsTfliteIndex() {
        float[] oihw = ramp(2 * 3 * 2 * 2);
        Weights ohwi = WeightLayouts.conv2dFromTorch(oihw, 2, 3, 2, 2);
        // torch [o=1, i=2, y=1, x=0] = ((1*3+2)*2+1)*2+0 = 22 lands at tflite [1, 1, 0, 2] = ((1*2+1)*2+0)*3+2 = 20
        assertThat(ohwi.values()[20]).isEqualTo(22f);
        assertThat(ohwi.shape()).containsExactly(2, 2, 2, 3);

        float[] linear = ramp(2 * 3 * 4);
        Weights fc = WeightLayouts.fullyConnectedAfterFlatten(linear, 2, 3, 2, 2);
        // torch column c*4 + p (c=2, p=1) = 9 becomes NHWC column p*3 + c = 5, for output row 1
        assertThat(fc.values()[12 + 5]).isEqualTo(12f + 9f);
    }

    private static float[] ramp(int n) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
