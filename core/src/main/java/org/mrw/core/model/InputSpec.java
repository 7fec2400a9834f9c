package org.mrw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How a model wants its input, i.e. the model descriptor: the JSON file beside a model
 * ({@code model.pt.json}, or {@code mrw.json} inside a SavedModel folder).
 *
 * <p>A canonical pixel {@code x} in [0,1] becomes {@code ((rangeMin + x*(rangeMax-rangeMin)) - mean[c]) / std[c]},
 * with channels reordered for {@code BGR} and the tensor laid out {@code NCHW} or {@code NHWC}.
 *
 * @param layout       tensor layout the model takes
 * @param channels     channels per image
 * @param height       image rows
 * @param width        image columns
 * @param channelOrder RGB or BGR (ignored for one channel)
 * @param mean         per-channel mean subtracted after scaling to the range (one value or one per channel)
 * @param std          per-channel divisor (one value or one per channel)
 * @param rangeMin     value a black pixel maps to before mean/std (e.g. 0)
 * @param rangeMax     value a white pixel maps to before mean/std (e.g. 1 or 255)
 * @param classNames   class names by output index (may be empty: then "0", "1", ...)
 * @param variant      float or int8, when the file cannot tell (null: infer)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InputSpec(
        @JsonProperty("layout") Layout layout,
        @JsonProperty("channels") int channels,
        @JsonProperty("height") int height,
        @JsonProperty("width") int width,
        @JsonProperty("channelOrder") ChannelOrder channelOrder,
        @JsonProperty("mean") float[] mean,
        @JsonProperty("std") float[] std,
        @JsonProperty("rangeMin") float rangeMin,
        @JsonProperty("rangeMax") float rangeMax,
        @JsonProperty("classNames") List<String> classNames,
        @JsonProperty("variant") Variant variant) {

    /** Largest side the workbench accepts: bounds every buffer sized from a descriptor. */
    public static final int MAX_SIDE = 4096;

    /** Tensor layouts. */
    public enum Layout { NCHW, NHWC }

    /** Channel orders of colour images. */
    public enum ChannelOrder { RGB, BGR }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public InputSpec {
        layout = layout == null ? Layout.NCHW : layout;
        channelOrder = channelOrder == null ? ChannelOrder.RGB : channelOrder;
        mean = mean == null || mean.length == 0 ? new float[] {0f} : mean.clone();
        std = std == null || std.length == 0 ? new float[] {1f} : std.clone();
        if (rangeMin == 0f && rangeMax == 0f) {
            rangeMax = 1f;
        }
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        if (channels < 1 || channels > 4 || height < 1 || height > MAX_SIDE || width < 1 || width > MAX_SIDE) {
            throw new IllegalArgumentException("input shape " + channels + "x" + height + "x" + width
                    + " is outside 1..4 channels and 1.." + MAX_SIDE + " pixels per side");
        }
        checkPerChannel("mean", mean, channels);
        checkPerChannel("std", std, channels);
        for (float s : std) {
            if (!(s > 0f) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("std values must be positive and finite, got " + Arrays.toString(std));
            }
        }
        if (!(rangeMax > rangeMin)) {
            throw new IllegalArgumentException("rangeMax (" + rangeMax + ") must be greater than rangeMin (" + rangeMin + ")");
        }
    }

    private static void checkPerChannel(String what, float[] values, int channels) {
        if (values.length != 1 && values.length != channels) {
            throw new IllegalArgumentException(what + " needs 1 or " + channels + " values, got " + values.length);
        }
    }

    /** Plain [0,1] input, no normalisation: what the bundled Fashion-MNIST models take. */
    public static InputSpec plain(Layout layout, int channels, int height, int width, List<String> classNames) {
        return new InputSpec(layout, channels, height, width, ChannelOrder.RGB, null, null, 0f, 1f, classNames, null);
    }

    /** Mean of channel {@code c} (one shared value allowed). */
    public float meanOf(int c) {
        return mean.length == 1 ? mean[0] : mean[c];
    }

    /** Std of channel {@code c} (one shared value allowed). */
    public float stdOf(int c) {
        return std.length == 1 ? std[0] : std[c];
    }

    /** Values per image. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Model tensor shape for {@code n} images. */
    public long[] tensorShape(int n) {
        return layout == Layout.NCHW ? new long[] {n, channels, height, width} : new long[] {n, height, width, channels};
    }

    /** A copy with other class names. */
    public InputSpec withClassNames(List<String> names) {
        return new InputSpec(layout, channels, height, width, channelOrder, mean, std, rangeMin, rangeMax, names, variant);
    }

    /** A copy with another variant. */
    public InputSpec withVariant(Variant v) {
        return new InputSpec(layout, channels, height, width, channelOrder, mean, std, rangeMin, rangeMax, classNames, v);
    }

    /** Reads a descriptor, naming the file and the problem when it is not one. */
    public static InputSpec read(Path file) {
        try {
            return JSON.readValue(file.toFile(), InputSpec.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot read model descriptor " + file + ": " + ModelFiles.rootMessage(e)
                    + ". Expected JSON like {\"layout\":\"NCHW\",\"channels\":1,\"height\":28,\"width\":28,"
                    + "\"mean\":[0],\"std\":[1],\"rangeMin\":0,\"rangeMax\":1,\"classNames\":[...]}", e);
        }
    }

    /** Writes this descriptor as indented JSON. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    /** The descriptor file conventionally beside a model, whether or not it exists. */
    public static Path besideModel(Path model) {
        return Files.isDirectory(model) ? model.resolve("mrw.json") : model.resolveSibling(model.getFileName() + ".json");
    }

    /** Class name of output {@code index} (its number if the descriptor names none). */
    public String className(int index) {
        return index >= 0 && index < classNames.size() ? classNames.get(index) : Integer.toString(index);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec s && layout == s.layout && channels == s.channels && height == s.height
                && width == s.width && channelOrder == s.channelOrder && Arrays.equals(mean, s.mean)
                && Arrays.equals(std, s.std) && rangeMin == s.rangeMin && rangeMax == s.rangeMax
                && classNames.equals(s.classNames) && variant == s.variant;
    }

    @Override
    public int hashCode() {
        return Objects.hash(layout, channels, height, width, channelOrder, Arrays.hashCode(mean), Arrays.hashCode(std),
                rangeMin, rangeMax, classNames, variant);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(layout + " " + channels + "x" + height + "x" + width);
        if (channels == 3) {
            parts.add(channelOrder.name());
        }
        parts.add("range [" + rangeMin + "," + rangeMax + "]");
        parts.add("mean " + Arrays.toString(mean) + " std " + Arrays.toString(std));
        return String.join(", ", parts);
    }
}
