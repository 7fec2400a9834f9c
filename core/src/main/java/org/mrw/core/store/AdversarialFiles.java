package org.mrw.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mrw.core.data.NpyWriter;
import org.mrw.core.data.NpzArrays;
import org.mrw.core.data.NpzArrays.FloatArray;

/**
 * The adversarial images of a workspace, one NPY file (float32, little-endian, {@code [n,c,h,w]}) per
 * unit: {@code adversarials/<run>/<source>__<attack>__eps<ε>__r<rep>__b<batchStart>.npy}. The target is
 * not part of the name: one source's adversarials are evaluated on every target. Files are written to a
 * temporary name and renamed, so a killed run never leaves a truncated file under a final name.
 */
public final class AdversarialFiles {

    /** The folder inside a workspace. */
    public static final String FOLDER = "adversarials";

    private static final String SUFFIX = ".npy";
    private static final String PARTIAL = ".partial";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int MAX_NAME = 60;

    private final Path root;

    /** The adversarial files of {@code workspace} (the folder is created on the first write). */
    public AdversarialFiles(Path workspace) {
        this.root = workspace.resolve(FOLDER);
    }

    /** Where the unit's adversarials at {@code epsilon} are (or will be) stored. */
    public Path path(String runId, BatchKey key, double epsilon) {
        return root.resolve(safeName(runId)).resolve(safeName(key.source()) + "__" + safeName(key.attack()) + "__eps"
                + epsilonText(epsilon) + "__r" + key.repetition() + "__b" + key.batchStart() + SUFFIX);
    }

    /**
     * Stores the unit's adversarial images (shape {@code [n,c,h,w]}), replacing an earlier file of the
     * same unit, and returns the file.
     */
    public Path write(String runId, BatchKey key, double epsilon, FloatArray images) {
        if (images.shape().length != 4) {
            throw new IllegalArgumentException("adversarial images must be shaped [n,c,h,w], got " + images);
        }
        Path file = path(runId, key, epsilon);
        Path partial = file.resolveSibling(file.getFileName() + PARTIAL);
        try {
            Files.createDirectories(file.getParent());
            NpyWriter.write(partial, images);
            moveIntoPlace(partial, file);
            return file;
        } catch (IOException e) {
            throw new StoreException("Cannot write the adversarial images " + file + " (" + e + "). Check the free space and"
                    + " permissions of the workspace, then resume the run.", e);
        }
    }

    /** The unit's adversarial images, as written. */
    public FloatArray read(String runId, BatchKey key, double epsilon) {
        Path file = path(runId, key, epsilon);
        try {
            return NpzArrays.readNpy(file);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                throw new StoreException("No adversarial images at " + file + ": the unit was not saved (or the run did not"
                        + " keep adversarials).", e);
            }
            throw new StoreException("Cannot read the adversarial images " + file + " (" + e.getMessage() + ").", e);
        }
    }

    /** Whether the unit's adversarials at {@code epsilon} are stored. */
    public boolean exists(String runId, BatchKey key, double epsilon) {
        return Files.isRegularFile(path(runId, key, epsilon));
    }

    /**
     * Copies every adversarial file of {@code fromWorkspace} that {@code toWorkspace} lacks (for merging
     * shards); returns how many were copied.
     */
    static int copyAll(Path fromWorkspace, Path toWorkspace) {
        Path from = fromWorkspace.resolve(FOLDER);
        Path to = toWorkspace.resolve(FOLDER);
        if (!Files.isDirectory(from)) {
            return 0;
        }
        int copied = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(SUFFIX)).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("Cannot list the adversarial files in " + from + " (" + e.getMessage() + ").", e);
        }
        for (Path file : files) {
            Path dest = to.resolve(from.relativize(file).toString());
            if (Files.exists(dest)) {
                continue;
            }
            Path partial = dest.resolveSibling(dest.getFileName() + PARTIAL);
            try {
                Files.createDirectories(dest.getParent());
                Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
                moveIntoPlace(partial, dest);
                copied++;
            } catch (IOException e) {
                throw new StoreException("Cannot copy " + file + " to " + dest + " (" + e + "). Check the free space and"
                        + " permissions of the target workspace, then merge again.", e);
            }
        }
        return copied;
    }

    private static void moveIntoPlace(Path partial, Path file) throws IOException {
        try {
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * ε as written in file names: the shortest decimal that reads back as the same double ({@code 0.03},
     * {@code 8}), or {@code inf} for a minimisation attack's unbounded budget.
     */
    static String epsilonText(double epsilon) {
        if (epsilon == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (!Double.isFinite(epsilon) || epsilon < 0) {
            throw new IllegalArgumentException("epsilon must be >= 0 (or unbounded), got " + epsilon);
        }
        return BigDecimal.valueOf(epsilon).stripTrailingZeros().toPlainString();
    }

    /**
     * A name usable in a file name: kept when it is plain ({@code [A-Za-z0-9][A-Za-z0-9._-]*} without
     * {@code __}, the field separator), otherwise cleaned and suffixed with a hash of the original so
     * that distinct names stay distinct.
     */
    public static String safeName(String name) {
        Objects.requireNonNull(name, "name");
        if (SAFE.matcher(name).matches() && !name.contains("__") && name.length() <= MAX_NAME) {
            return name;
        }
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("_{2,}", "_").replaceAll("^[._-]+", "");
        if (cleaned.length() > MAX_NAME) {
            cleaned = cleaned.substring(0, MAX_NAME);
        }
        return (cleaned.isEmpty() ? "x" : cleaned) + "-" + hash(name);
    }

    private static String hash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
