package org.mrw.agent;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads the native libraries of the agent's {@code libs=} folder with {@link System#load} before
 * any runtime starts. On a phone, {@code app_process} gives the agent no library path for
 * {@code /data/local/tmp}, so the runtimes' own {@code System.loadLibrary} calls would fail; once
 * a library is loaded under its soname, those calls and its dependents find it.
 *
 * <p>Order: a library can only load after the libraries it needs (its ELF {@code DT_NEEDED}
 * entries) that live in the same folder. Known ones go first in dependency order
 * ({@code libc++_shared}, {@code libfbjni}, then the runtimes); the rest are tried in name order,
 * and any that fail are retried after each round in which another one loaded, until no round makes
 * progress. This works whatever the folder holds, without parsing ELF headers.
 */
final class NativeLibraries {

    /** Libraries others need, loaded first when present. */
    static final List<String> FIRST = Arrays.asList("libc++_shared.so", "libfbjni.so");

    private NativeLibraries() {
    }

    /**
     * Loads every {@code .so} of {@code dir}.
     *
     * @return the libraries loaded, in order
     * @throws IllegalStateException naming the libraries that would not load, with their errors
     */
    static List<String> loadAll(File dir, PrintStream log) {
        File[] files = dir.listFiles();
        if (files == null) {
            throw new IllegalStateException("libs=" + dir + " is not a readable folder");
        }
        List<File> pending = new ArrayList<File>();
        for (String first : FIRST) {
            File f = new File(dir, first);
            if (f.isFile()) {
                pending.add(f);
            }
        }
        Arrays.sort(files);
        for (File f : files) {
            if (f.isFile() && f.getName().endsWith(".so") && !FIRST.contains(f.getName())) {
                pending.add(f);
            }
        }
        List<String> loaded = new ArrayList<String>();
        List<String> errors = new ArrayList<String>();
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            errors.clear();
            List<File> failed = new ArrayList<File>();
            for (File f : pending) {
                try {
                    System.load(f.getAbsolutePath());
                    loaded.add(f.getName());
                    progress = true;
                } catch (UnsatisfiedLinkError e) {
                    failed.add(f);
                    errors.add(f.getName() + ": " + e.getMessage());
                }
            }
            pending = failed;
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException("native libraries in " + dir + " would not load: " + errors);
        }
        log.println("mrw-agent: loaded " + loaded + " from " + dir);
        return loaded;
    }
}
