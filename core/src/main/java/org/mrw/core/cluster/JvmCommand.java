package org.mrw.core.cluster;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts a main class on the very JVM and classpath running now. Array tasks start
 * that way rather than through the {@code ./mrw} script, which may rebuild the jars: N tasks starting at
 * once must never run Maven, and must run the code that was submitted.
 */
public final class JvmCommand {

    /** Engine settings every mrw process carries (the ./mrw script and the test runner set them too). */
    private static final List<String> REQUIRED = List.of("-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true");

    private JvmCommand() {
    }

    /** {@code java [-D/-X options of this JVM] -cp CLASSPATH mainClass}. */
    public static List<String> current(String mainClass) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            throw new SlurmException("cannot find this JVM's java binary at " + java);
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        // Properties and memory/stack sizes carry over; agents, debuggers and module flags stay behind.
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-D") || a.startsWith("-Xss") || a.startsWith("-Xmx") || a.startsWith("-Xms")) {
                command.add(a);
            }
        }
        for (String a : REQUIRED) {
            if (!command.contains(a)) {
                command.add(a);
            }
        }
        String classpath = System.getProperty("java.class.path", "");
        if (classpath.isBlank()) {
            throw new SlurmException("this JVM has no class path to hand to the array tasks");
        }
        List<String> absolute = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                absolute.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, absolute));
        command.add(mainClass);
        return command;
    }
}
