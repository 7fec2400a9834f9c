package org.mrw.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} arrays (format versions 1, 2 and 3) as images or labels, and opens a
 * {@code .npy} images file with its labels file beside it. Images: uint8 (divided by 255), float32 or
 * float64 (already in [0,1]), shaped {@code [N,H,W]}, {@code [N,C,H,W]} or {@code [N,H,W,C]}.
 * Labels: any integer dtype, shaped {@code [N]} or {@code [N,1]}.
 */
final class NpyReader {

    static final String FORMAT = "NPY";

    private static final int CHUNK = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("([<>|=])([a-zA-Z])(\\d+)");
    private static final String HEADER_EXAMPLE = "{'descr': '|u1', 'fortran_order': False, 'shape': (N, 28, 28)}";

    /**
     * An element type: byte order ({@code <}, {@code >}, {@code |}), kind ({@code u}, {@code i}, {@code f},
     * ...) and size in bytes, as numpy's {@code descr} spells it.
     */
    record Dtype(String descr, char order, char kind, int size) {

        ByteOrder byteOrder() {
            return order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }

        /** {@code "f4"}, {@code "u1"}, ... */
        String code() {
            return "" + kind + size;
        }

        /** numpy's name, e.g. {@code float32}. */
        String numpyName() {
            return switch (kind) {
                case 'f' -> "float" + 8 * size;
                case 'i' -> "int" + 8 * size;
                case 'u' -> "uint" + 8 * size;
                case 'c' -> "complex" + 8 * size;
                case 'b' -> "bool";
                case 'U' -> "unicode string";
                case 'S' -> "byte string";
                case 'M' -> "datetime64";
                case 'm' -> "timedelta64";
                default -> descr;
            };
        }
    }

    /**
     * An NPY header: dtype, element order and shape; {@code dataOffset} bytes precede the data.
     */
    record Header(Dtype dtype, boolean fortranOrder, long[] shape, int dataOffset) {

        String shapeText() {
            return Arrays.toString(shape);
        }
    }

    /** Images converted to NCHW: bytes (uint8 data) or floats in [0,1]. */
    record ImageArray(byte[] bytes, float[] floats, int count, int channels, int height, int width) {
    }

    /**
     * The stream to read and what is known of its size.
     *
     * @param where      the file, or {@code archive.npz/entry.npy}, for messages
     * @param size       total bytes of the .npy data including its header, or -1 when unknown
     * @param compressed bytes it was stored in when compressed, else -1
     */
    record Stream(InputStream in, Path where, long size, long compressed) {
    }

    private NpyReader() {
    }

    /** Opens a {@code .npy} images file; labels come from the options or a file beside it. */
    static Dataset open(Path file, DatasetOptions options) {
        Path labelsFile = options.labels() != null ? options.labels() : labelsBeside(file);
        ByteSource imageSource = ByteSource.of(file);
        ImageArray images = imageSource.read(FORMAT, o -> readImages(stream(imageSource, o), options.layout()));
        ByteSource labelSource = ByteSource.of(labelsFile);
        int[] labels = labelSource.read(FORMAT, o -> readLabels(stream(labelSource, o)));
        return dataset(stem(file), file, images, labelsFile, labels, file.toAbsolutePath().getParent(), options);
    }

    private static Stream stream(ByteSource source, ByteSource.Opened opened) {
        return opened.gzip() ? new Stream(opened.in(), source.path(), -1, source.size())
                : new Stream(opened.in(), source.path(), source.size(), -1);
    }

    /** Pairs images with labels: counts must agree and every label must have a class name. */
    static InMemoryDataset dataset(String name, Path source, ImageArray images, Path labelsWhere, int[] labels, Path folder,
            DatasetOptions options) {
        if (labels.length != images.count()) {
            throw new DatasetFormatException(labelsWhere, Limits.count(images.count(), "label") + " (one per image in " + source.getFileName()
                    + ")", Limits.count(labels.length, "label"), "The images and labels arrays do not belong together.");
        }
        int count = ClassNames.labelCount(labelsWhere, labels);
        ClassNames.Resolved classes = ClassNames.resolve(options, folder, ClassNames.numbers(count), "label numbers");
        ClassNames.checkLabels(labelsWhere, labels, classes);
        return images.bytes() != null
                ? InMemoryDataset.ofBytes(name, source, images.bytes(), labels, images.channels(), images.height(),
                        images.width(), classes.names(), options.channels())
                : InMemoryDataset.ofFloats(name, source, images.floats(), labels, images.channels(), images.height(),
                        images.width(), classes.names(), options.channels());
    }

    static String stem(Path file) {
        return file.getFileName().toString().replaceFirst("(?i)\\.npy(\\.gz)?$", "").replaceFirst("(?i)\\.npz$", "");
    }

    /** {@code <stem>_labels.npy}, {@code y...} for {@code x...}, {@code labels...} for {@code images...}, {@code labels.npy}. */
    private static Path labelsBeside(Path file) {
        String stem = stem(file);
        if (stem.equalsIgnoreCase("labels") || stem.endsWith("_labels")) {
            throw new DatasetFormatException(file, "an images array", "what its name says is a labels array",
                    "Point at the images .npy file; its labels are found beside it.");
        }
        List<String> names = new ArrayList<>();
        names.add(stem + "_labels.npy");
        if (stem.startsWith("x") || stem.startsWith("X")) {
            names.add((stem.charAt(0) == 'x' ? "y" : "Y") + stem.substring(1) + ".npy");
        }
        if (stem.startsWith("images")) {
            names.add("labels" + stem.substring("images".length()) + ".npy");
        }
        names.add("labels.npy");
        for (String name : names) {
            Path candidate = file.resolveSibling(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new DatasetFormatException(file, "a labels file beside it (" + String.join(", ", names) + ")", "none",
                "Save the labels as " + names.get(0) + " or give the labels file in the options.");
    }

    /** Reads and checks the magic, version and header dict; leaves the stream at the data. */
    static Header readHeader(Stream s) throws IOException {
        byte[] magic = new byte[8];
        ByteSource.readFully(s.where(), s.in(), magic, 0, 8, "NPY magic and version");
        if (!Magic.isNpy(magic)) {
            throw new DatasetFormatException(s.where(), "the NPY magic \\x93NUMPY", "bytes " + hex(magic) + Magic.describe(magic),
                    "Save the array with numpy.save.");
        }
        int major = magic[6] & 0xFF;
        int lengthBytes = switch (major) {
            case 1 -> 2;
            case 2, 3 -> 4;
            default -> throw new DatasetFormatException(s.where(), "NPY format version 1.0, 2.0 or 3.0",
                    "version " + major + "." + (magic[7] & 0xFF), "Save the array with a current numpy.save.");
        };
        byte[] len = new byte[4];
        ByteSource.readFully(s.where(), s.in(), len, 0, lengthBytes, "NPY header length");
        long headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        if (lengthBytes == 2) {
            headerLength &= 0xFFFF;
        }
        if (headerLength > Limits.MAX_NPY_HEADER) {
            throw new DatasetFormatException(s.where(), "an NPY header of at most " + Limits.MAX_NPY_HEADER + " bytes",
                    "a declared header of " + headerLength + " bytes", "The file is corrupt; save the array again.");
        }
        byte[] text = new byte[(int) headerLength];
        ByteSource.readFully(s.where(), s.in(), text, 0, text.length, "NPY header");
        // Versions 1 and 2 store the dict in latin-1, version 3 in UTF-8.
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parseHeader(s.where(), dict, 8 + lengthBytes + (int) headerLength);
    }

    static Header parseHeader(Path where, String dict, int dataOffset) {
        Map<String, Object> map;
        try {
            map = new PythonLiteral(dict).dict();
        } catch (IllegalStateException e) {
            throw new DatasetFormatException(where, "an NPY header dict like " + HEADER_EXAMPLE,
                    "'" + abbreviate(dict.strip()) + "' (" + e.getMessage() + ")", "The file is corrupt or not written by numpy.save.", e);
        }
        Object descr = map.get("descr");
        Object fortran = map.get("fortran_order");
        Object shape = map.get("shape");
        if (descr instanceof List) {
            throw new DatasetFormatException(where, "a plain numeric dtype", "a structured dtype " + abbreviate(descr.toString()),
                    "Save plain arrays (np.save(path, x)) rather than record arrays.");
        }
        if (!(descr instanceof String) || !(fortran instanceof Boolean) || !(shape instanceof List<?> dims)) {
            throw new DatasetFormatException(where, "an NPY header dict with descr, fortran_order and shape, like " + HEADER_EXAMPLE,
                    "'" + abbreviate(dict.strip()) + "'", "The file is corrupt or not written by numpy.save.");
        }
        Matcher m = DESCR.matcher((String) descr);
        // Unknown or oversized descrs still become a Dtype: the caller rejects them with its own expectation.
        Dtype dtype = m.matches() ? new Dtype((String) descr, m.group(1).charAt(0), m.group(2).charAt(0),
                m.group(3).length() > 6 ? 999_999 : Integer.parseInt(m.group(3)))
                : new Dtype((String) descr, '|', '?', 0);
        long[] sizes = new long[dims.size()];
        for (int i = 0; i < sizes.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0) {
                throw new DatasetFormatException(where, "a shape of non-negative integers", "shape " + dims, "The file is corrupt.");
            }
            sizes[i] = d;
        }
        return new Header(dtype, (Boolean) fortran, sizes, dataOffset);
    }

    /** Reads an image array and converts it to NCHW; see the class comment for what is accepted. */
    static ImageArray readImages(Stream s, DatasetOptions.Layout layout) throws IOException {
        Header h = readHeader(s);
        Path where = s.where();
        Dtype dtype = h.dtype();
        if (!List.of("u1", "f4", "f8").contains(dtype.code())) {
            throw new DatasetFormatException(where, "images of dtype uint8, float32 or float64",
                    "dtype " + dtype.numpyName() + " ('" + dtype.descr() + "')",
                    "Convert with x.astype('uint8') for 0..255 data or x.astype('float32') for 0..1 data.");
        }
        checkCOrder(where, h);
        long[] shape = h.shape();
        long n;
        long c;
        long height;
        long width;
        boolean nhwc;
        if (shape.length == 3) {
            n = shape[0];
            c = 1;
            height = shape[1];
            width = shape[2];
            nhwc = false;
        } else if (shape.length == 4) {
            nhwc = channelsLast(where, shape, layout);
            n = shape[0];
            c = nhwc ? shape[3] : shape[1];
            height = nhwc ? shape[1] : shape[2];
            width = nhwc ? shape[2] : shape[3];
        } else {
            throw new DatasetFormatException(where, "images shaped [N,H,W], [N,C,H,W] or [N,H,W,C]", "shape " + h.shapeText(),
                    shape.length == 2 ? "Reshape flattened images first, e.g. x.reshape(-1, 28, 28)."
                            : "Save one array of images, one image per first index.");
        }
        Limits.checkCount(where, "image", n);
        Limits.checkChannels(where, c);
        Limits.checkSide(where, "image height", height);
        Limits.checkSide(where, "image width", width);
        int total = Limits.checkTotal(where, n, c, height, width);
        checkDataSize(s, h, total, Limits.count(n, "image") + " of " + (nhwc ? height + "x" + width + "x" + c : c + "x" + height + "x" + width)
                + " (" + dtype.numpyName() + ")");
        Limits.checkHeap(where, (long) total * (dtype.size() == 1 ? 1 : 4));
        int per = (int) (c * height * width);
        if (dtype.code().equals("u1")) {
            byte[] bytes = new byte[total];
            ByteSource.readFully(where, s.in(), bytes, 0, total, "uint8 image data");
            if (nhwc) {
                toChannelsFirst(bytes, (int) n, (int) c, per);
            }
            return new ImageArray(bytes, null, (int) n, (int) c, (int) height, (int) width);
        }
        float[] floats = new float[total];
        readFloats(s, dtype, floats);
        if (nhwc) {
            toChannelsFirst(floats, (int) n, (int) c, per);
        }
        checkUnitRange(where, dtype, floats, per);
        return new ImageArray(null, floats, (int) n, (int) c, (int) height, (int) width);
    }

    /** Reads integer labels shaped [N] or [N,1]. */
    static int[] readLabels(Stream s) throws IOException {
        Header h = readHeader(s);
        Path where = s.where();
        Dtype dtype = h.dtype();
        boolean integer = (dtype.kind() == 'i' || dtype.kind() == 'u')
                && (dtype.size() == 1 || dtype.size() == 2 || dtype.size() == 4 || dtype.size() == 8);
        if (!integer) {
            throw new DatasetFormatException(where, "integer labels (int64, int32, uint8, ...)",
                    "dtype " + dtype.numpyName() + " ('" + dtype.descr() + "')", "Convert with y.astype('int64').");
        }
        checkCOrder(where, h);
        long[] shape = h.shape();
        boolean column = shape.length == 2 && shape[1] == 1;
        if (shape.length != 1 && !column) {
            String hint = shape.length == 2 ? "They look one-hot encoded; save y.argmax(axis=1) instead."
                    : "Save one class index per image.";
            throw new DatasetFormatException(where, "labels shaped [N] or [N,1]", "shape " + h.shapeText(), hint);
        }
        long n = shape[0];
        Limits.checkCount(where, "label", n);
        checkDataSize(s, h, n, Limits.count(n, "label") + " (" + dtype.numpyName() + ")");
        int[] labels = new int[(int) n];
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(dtype.byteOrder());
        int size = dtype.size();
        int done = 0;
        while (done < n) {
            int items = (int) Math.min(CHUNK / size, n - done);
            readChunk(s, chunk, items * size, (long) done * size, n * size);
            for (int i = 0; i < items; i++) {
                long v = switch (dtype.code()) {
                    case "i1" -> buffer.get(i);
                    case "u1" -> buffer.get(i) & 0xFFL;
                    case "i2" -> buffer.getShort(2 * i);
                    case "u2" -> buffer.getShort(2 * i) & 0xFFFFL;
                    case "i4" -> buffer.getInt(4 * i);
                    case "u4" -> buffer.getInt(4 * i) & 0xFFFFFFFFL;
                    case "i8" -> buffer.getLong(8 * i);
                    default -> buffer.getLong(8 * i) < 0 ? -1 : buffer.getLong(8 * i);
                };
                if (v < 0 || v >= Limits.MAX_CLASSES) {
                    throw new DatasetFormatException(where, "labels in 0.." + (Limits.MAX_CLASSES - 1),
                            "label " + (dtype.code().equals("u8") ? Long.toUnsignedString(buffer.getLong(8 * i)) : v)
                                    + " for image " + (done + i), "Labels must be class indices.");
                }
                labels[done + i] = (int) v;
            }
            done += items;
        }
        return labels;
    }

    /** Reads any float32/float64 array of up to {@link Limits#MAX_ARRAY} values, keeping its shape. */
    static NpzArrays.FloatArray readFloatArray(Stream s) throws IOException {
        Header h = readHeader(s);
        Path where = s.where();
        Dtype dtype = h.dtype();
        if (!List.of("f4", "f8").contains(dtype.code())) {
            throw new DatasetFormatException(where, "a float32 or float64 array",
                    "dtype " + dtype.numpyName() + " ('" + dtype.descr() + "')", "Convert with x.astype('float32').");
        }
        checkCOrder(where, h);
        long[] shape = h.shape();
        long elements = 1;
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            elements *= shape[i];
            if (shape[i] > Limits.MAX_ARRAY || elements > Limits.MAX_ARRAY) {
                throw new DatasetFormatException(where, "at most " + Limits.MAX_ARRAY + " values (one Java array)",
                        "shape " + h.shapeText(), "Split the array.");
            }
            dims[i] = (int) shape[i];
        }
        checkDataSize(s, h, elements, elements + " values (" + dtype.numpyName() + ")");
        float[] values = new float[(int) elements];
        readFloats(s, dtype, values);
        return new NpzArrays.FloatArray(dims, values);
    }

    private static void checkCOrder(Path where, Header h) {
        if (h.fortranOrder()) {
            throw new DatasetFormatException(where, "C-ordered data (fortran_order False)", "fortran_order True",
                    "Save np.ascontiguousarray(x) instead.");
        }
    }

    /** Infers (or takes from the options) whether a 4-d image array has its channels last. */
    private static boolean channelsLast(Path where, long[] shape, DatasetOptions.Layout layout) {
        if (layout == DatasetOptions.Layout.NCHW) {
            return false;
        }
        if (layout == DatasetOptions.Layout.NHWC) {
            return true;
        }
        boolean first = shape[1] == 1 || shape[1] == 3;
        boolean last = shape[3] == 1 || shape[3] == 3;
        if (first != last) {
            return last;
        }
        String shapeText = Arrays.toString(shape);
        throw new DatasetFormatException(where, "one channel axis of size 1 or 3, at position 1 (NCHW) or 3 (NHWC)",
                first ? "shape " + shapeText + ", where both could be" : "shape " + shapeText + ", where neither is",
                "Set the layout option (NCHW or NHWC) to say which axis holds the channels.");
    }

    /** The declared data size must match what the stream holds (checked before allocating). */
    private static void checkDataSize(Stream s, Header h, long elements, String what) {
        long declared = h.dataOffset() + elements * h.dtype().size();
        ByteSource.checkDeclaredSize(s.where(), s.size(), false, declared, "an NPY header and " + what);
        ByteSource.checkDeclaredSize(s.where(), s.compressed(), true, declared, "an NPY header and " + what);
    }

    private static void readFloats(Stream s, Dtype dtype, float[] out) throws IOException {
        int size = dtype.size();
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(dtype.byteOrder());
        int done = 0;
        while (done < out.length) {
            int items = Math.min(CHUNK / size, out.length - done);
            readChunk(s, chunk, items * size, (long) done * size, (long) out.length * size);
            for (int i = 0; i < items; i++) {
                out[done + i] = size == 4 ? buffer.getFloat(4 * i) : (float) buffer.getDouble(8 * i);
            }
            done += items;
        }
    }

    private static void readChunk(Stream s, byte[] chunk, int len, long before, long total) throws IOException {
        int n = s.in().readNBytes(chunk, 0, len);
        if (n < len) {
            throw ByteSource.truncated(s.where(), total, before + n, "array data");
        }
    }

    private static void checkUnitRange(Path where, Dtype dtype, float[] values, int per) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        int firstBad = -1;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (Float.isNaN(v)) {
                throw new DatasetFormatException(where, dtype.numpyName() + " pixel values in [0,1]", "NaN in image " + i / per,
                        "Replace NaNs (np.nan_to_num) before saving.");
            }
            if ((v < 0f || v > 1f) && firstBad < 0) {
                firstBad = i;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (firstBad >= 0) {
            String hint = max > 1f && max <= 255f && min >= 0f
                    ? "The values look like 0..255: save x / 255.0, or save them as uint8."
                    : "Scale the data to [0,1] (or clip with np.clip(x, 0, 1)) before saving.";
            throw new DatasetFormatException(where, dtype.numpyName() + " pixel values in [0,1]", "values from " + min + " to " + max
                    + " (first outside in image " + firstBad / per + ": " + values[firstBad] + ")", hint);
        }
    }

    private static void toChannelsFirst(byte[] data, int n, int c, int per) {
        if (c == 1) {
            return;
        }
        byte[] image = new byte[per];
        int plane = per / c;
        for (int i = 0; i < n; i++) {
            System.arraycopy(data, i * per, image, 0, per);
            for (int p = 0; p < plane; p++) {
                for (int ch = 0; ch < c; ch++) {
                    data[i * per + ch * plane + p] = image[p * c + ch];
                }
            }
        }
    }

    private static void toChannelsFirst(float[] data, int n, int c, int per) {
        if (c == 1) {
            return;
        }
        float[] image = new float[per];
        int plane = per / c;
        for (int i = 0; i < n; i++) {
            System.arraycopy(data, i * per, image, 0, per);
            for (int p = 0; p < plane; p++) {
                for (int ch = 0; ch < c; ch++) {
                    data[i * per + ch * plane + p] = image[p * c + ch];
                }
            }
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    /**
     * Parses the Python literal numpy writes as a header: a dict of strings, booleans, integers (with
     * Python 2's {@code L} suffix), tuples and lists. Throws {@link IllegalStateException} on anything else.
     */
    private static final class PythonLiteral {
        private static final int MAX_DEPTH = 8;

        private final String text;
        private int at;
        private int depth;

        PythonLiteral(String text) {
            this.text = text;
        }

        Map<String, Object> dict() {
            skipSpace();
            Object value = value();
            skipSpace();
            if (at != text.length()) {
                throw new IllegalStateException("unexpected text after the dict at offset " + at);
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw new IllegalStateException("not a dict");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }

        private Object value() {
            skipSpace();
            if (at >= text.length()) {
                throw new IllegalStateException("unexpected end");
            }
            char ch = text.charAt(at);
            if ((ch == '{' || ch == '(' || ch == '[') && ++depth > MAX_DEPTH) {
                throw new IllegalStateException("nested deeper than " + MAX_DEPTH + " levels");
            }
            if (ch == '{') {
                at++;
                Map<Object, Object> map = new LinkedHashMap<>();
                while (!peek('}')) {
                    Object key = value();
                    expect(':');
                    map.put(key, value());
                    if (!peek('}')) {
                        expect(',');
                    }
                }
                expect('}');
                depth--;
                return map;
            }
            if (ch == '(' || ch == '[') {
                char close = ch == '(' ? ')' : ']';
                at++;
                List<Object> items = new ArrayList<>();
                while (!peek(close)) {
                    items.add(value());
                    if (!peek(close)) {
                        expect(',');
                    }
                }
                expect(close);
                depth--;
                return items;
            }
            if (ch == '\'' || ch == '"') {
                int end = text.indexOf(ch, at + 1);
                if (end < 0) {
                    throw new IllegalStateException("unterminated string at offset " + at);
                }
                String s = text.substring(at + 1, end);
                at = end + 1;
                return s;
            }
            if (ch == '-' || Character.isDigit(ch)) {
                int start = at++;
                while (at < text.length() && Character.isDigit(text.charAt(at))) {
                    at++;
                }
                String digits = text.substring(start, at);
                if (at < text.length() && (text.charAt(at) == 'L' || text.charAt(at) == 'l')) {
                    at++;
                }
                if (digits.length() > 18 || digits.equals("-")) {
                    throw new IllegalStateException("integer out of range: " + digits);
                }
                return Long.parseLong(digits);
            }
            for (String word : List.of("True", "False", "None")) {
                if (text.startsWith(word, at)) {
                    at += word.length();
                    return word.equals("None") ? "None" : Boolean.valueOf(word.equals("True"));
                }
            }
            throw new IllegalStateException("unexpected '" + ch + "' at offset " + at);
        }

        private boolean peek(char ch) {
            skipSpace();
            if (at >= text.length()) {
                throw new IllegalStateException("unexpected end, expected '" + ch + "'");
            }
            return text.charAt(at) == ch;
        }

        private void expect(char ch) {
            if (!peek(ch)) {
                throw new IllegalStateException("expected '" + ch + "' at offset " + at);
            }
            at++;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
