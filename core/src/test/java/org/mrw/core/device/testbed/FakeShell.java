package org.mrw.core.device.testbed;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The phone's {@code sh}, reduced to what the workbench sends: a command line is tokenised as data
 * (single and double quotes, backslashes, {@code $!}), split at {@code ;}, {@code &&}, {@code ||} and
 * {@code &}, and each simple command runs as a Java builtin against {@link PhoneFiles} with
 * {@code >}, {@code >>}, {@code 2>}, {@code 2>&1} and {@code <} redirections. Nothing is ever passed to a
 * real shell. {@code app_process} runs {@code java} on the mapped {@code CLASSPATH} via
 * {@link PhoneProcesses}. Differences from a real sh: no pipes, no globbing, no variables besides
 * {@code $!}; a leading {@code NAME=value} word is an assignment even when quoted; builtins ignore
 * {@code &} and run in the foreground.
 */
final class FakeShell {

    /** Stands for {@code $!} between tokenising and running (its value is known only then). */
    private static final char LAST_PID = '\uE000';

    private final PhoneFiles files;
    private final Map<String, String> properties;
    private final PhoneProcesses processes;
    private final List<String> hostClasspath;

    FakeShell(PhoneFiles files, Map<String, String> properties, PhoneProcesses processes, List<String> hostClasspath) {
        this.files = files;
        this.properties = new TreeMap<>(properties);
        this.processes = processes;
        this.hostClasspath = List.copyOf(hostClasspath);
    }

    /** Runs one command line; returns its exit status (127 for an unknown command, 2 for bad syntax). */
    int run(String line, OutputStream out, OutputStream err) throws IOException {
        List<Step> steps;
        try {
            steps = parse(tokenise(line));
        } catch (SyntaxError e) {
            err.write(("sh: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            return 2;
        }
        Session session = new Session(out, err);
        int status = 0;
        String previous = ";";
        for (Step step : steps) {
            boolean skip = (previous.equals("&&") && status != 0) || (previous.equals("||") && status == 0);
            if (!skip) {
                status = session.execute(step.command(), step.connector().equals("&"));
            }
            previous = step.connector().equals("&") ? ";" : step.connector();
        }
        return status;
    }

    // ---- tokenising and parsing -------------------------------------------------------------------

    private static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    private sealed interface Token permits Word, Op {
    }

    private record Word(String text) implements Token {
    }

    private record Op(String op) implements Token {
    }

    private record Redirect(int fd, String op, String target) {
    }

    private record Command(List<String> assignments, List<String> argv, List<Redirect> redirects) {
    }

    private record Step(Command command, String connector) {
    }

    private static List<Token> tokenise(String line) throws SyntaxError {
        List<Token> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == LAST_PID) {
                throw new SyntaxError("unsupported character U+E000");
            }
            if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) {
                    tokens.add(new Word(word.toString()));
                    word.setLength(0);
                    inWord = false;
                    quoted = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new SyntaxError("unterminated quoted string");
                }
                word.append(line, i + 1, end);
                inWord = true;
                quoted = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new SyntaxError("unterminated quoted string");
                    }
                    char d = line.charAt(i);
                    if (d == '"') {
                        break;
                    }
                    if (d == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        word.append(line.charAt(i + 1));
                        i += 2;
                    } else if (d == '$' && i + 1 < line.length() && line.charAt(i + 1) == '!') {
                        word.append(LAST_PID);
                        i += 2;
                    } else {
                        word.append(d);
                        i++;
                    }
                }
                inWord = true;
                quoted = true;
                i++;
            } else if (c == '\\') {
                if (i + 1 < line.length()) {
                    word.append(line.charAt(i + 1));
                }
                inWord = true;
                quoted = true;
                i += 2;
            } else if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '!') {
                word.append(LAST_PID);
                inWord = true;
                i += 2;
            } else if (c == ';' || c == '&' || c == '|' || c == '<' || c == '>') {
                boolean stderr = c == '>' && inWord && !quoted && word.toString().equals("2");
                if (inWord && !stderr) {
                    tokens.add(new Word(word.toString()));
                }
                word.setLength(0);
                inWord = false;
                quoted = false;
                String two = i + 1 < line.length() ? line.substring(i, i + 2) : "";
                String op;
                if (two.equals("&&") || two.equals("||") || two.equals(">>")) {
                    op = two;
                } else {
                    op = String.valueOf(c);
                }
                i += op.length();
                if (op.startsWith(">") && i + 1 < line.length() && line.charAt(i) == '&'
                        && Character.isDigit(line.charAt(i + 1))) {
                    op = op + "&" + line.charAt(i + 1);
                    i += 2;
                }
                tokens.add(new Op(stderr ? "2" + op : op));
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            tokens.add(new Word(word.toString()));
        }
        return tokens;
    }

    private static List<Step> parse(List<Token> tokens) throws SyntaxError {
        List<Step> steps = new ArrayList<>();
        List<String> assignments = new ArrayList<>();
        List<String> argv = new ArrayList<>();
        List<Redirect> redirects = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t instanceof Word w) {
                if (argv.isEmpty() && w.text().matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                    assignments.add(w.text());
                } else {
                    argv.add(w.text());
                }
                continue;
            }
            String op = ((Op) t).op();
            switch (op) {
                case ";", "&&", "||", "&" -> {
                    if (argv.isEmpty() && assignments.isEmpty() && redirects.isEmpty()) {
                        throw new SyntaxError("syntax error: unexpected '" + op + "'");
                    }
                    steps.add(new Step(new Command(assignments, argv, redirects), op));
                    assignments = new ArrayList<>();
                    argv = new ArrayList<>();
                    redirects = new ArrayList<>();
                }
                case "|" -> throw new SyntaxError("pipes are not supported by this test phone");
                case "2>&1", ">&2", "1>&2" -> redirects.add(new Redirect(op.startsWith("2") ? 2 : 1, "dup", null));
                case ">", ">>", "2>", "2>>", "<" -> {
                    if (i + 1 >= tokens.size() || !(tokens.get(i + 1) instanceof Word target)) {
                        throw new SyntaxError("syntax error: missing file after '" + op + "'");
                    }
                    i++;
                    int fd = op.startsWith("2") ? 2 : op.equals("<") ? 0 : 1;
                    redirects.add(new Redirect(fd, op.endsWith(">>") ? "append" : "write", target.text()));
                }
                default -> throw new SyntaxError("unsupported operator '" + op + "'");
            }
        }
        if (!argv.isEmpty() || !assignments.isEmpty() || !redirects.isEmpty()) {
            steps.add(new Step(new Command(assignments, argv, redirects), ";"));
        }
        return steps;
    }

    // ---- running ----------------------------------------------------------------------------------

    /** State of one shell invocation: its output streams and {@code $!}. */
    private final class Session {
        private final OutputStream out;
        private final OutputStream err;
        private String lastBackgroundPid = "";

        Session(OutputStream out, OutputStream err) {
            this.out = out;
            this.err = err;
        }

        int execute(Command command, boolean background) throws IOException {
            List<String> argv = new ArrayList<>();
            for (String a : command.argv()) {
                argv.add(a.replace(String.valueOf(LAST_PID), lastBackgroundPid));
            }
            while (!argv.isEmpty() && argv.get(0).equals("nohup")) {
                argv.remove(0);
            }
            Map<String, String> env = new LinkedHashMap<>();
            for (String a : command.assignments()) {
                int eq = a.indexOf('=');
                env.put(a.substring(0, eq), a.substring(eq + 1).replace(String.valueOf(LAST_PID), lastBackgroundPid));
            }
            // Resolve redirections left to right, as sh does: "> log 2>&1" sends both to log.
            Object stdout = out;
            Object stderr = err;
            try {
                for (Redirect r : command.redirects()) {
                    if (r.op().equals("dup")) {
                        if (r.fd() == 2) {
                            stderr = stdout;
                        } else {
                            stdout = stderr;
                        }
                    } else if (r.fd() == 0) {
                        if (!PhoneFiles.isDevNull(r.target()) && !Files.isRegularFile(files.map(r.target()))) {
                            return fail("sh: " + r.target() + ": No such file or directory", 1);
                        }
                    } else {
                        Object target = PhoneFiles.isDevNull(r.target()) ? null
                                : new PhoneProcesses.ToFile(files.map(r.target()).toFile(), r.op().equals("append"));
                        if (r.fd() == 2) {
                            stderr = target;
                        } else {
                            stdout = target;
                        }
                    }
                }
            } catch (PhoneFiles.Refused e) {
                return fail("sh: " + e.getMessage(), 1);
            }
            if (argv.isEmpty()) {
                return 0;
            }
            if (argv.get(0).equals("app_process")) {
                return appProcess(env, argv.subList(1, argv.size()), stdout, stderr, background);
            }
            try (Outputs o = new Outputs(stdout, stderr, out, err)) {
                return builtin(argv, o.out, o.err);
            }
        }

        private int fail(String message, int status) throws IOException {
            err.write((message + "\n").getBytes(StandardCharsets.UTF_8));
            return status;
        }

        /** {@code /abs/path} or {@code key=/abs/path} → the same under the phone's root; anything else unchanged. */
        private String mapPathArgument(String a) {
            int eq = a.indexOf('=');
            String value = eq > 0 ? a.substring(eq + 1) : a;
            if (!value.startsWith("/")) {
                return a;
            }
            try {
                String mapped = files.map(value).toString();
                return eq > 0 ? a.substring(0, eq + 1) + mapped : mapped;
            } catch (IOException | RuntimeException e) {
                return a;
            }
        }

        /** {@code app_process [-Xoptions] CMD_DIR MAIN [args]} with {@code CLASSPATH} from the assignments. */
        private int appProcess(Map<String, String> env, List<String> args, Object stdout, Object stderr, boolean background)
                throws IOException {
            String classpath = env.get("CLASSPATH");
            int i = 0;
            while (i < args.size() && args.get(i).startsWith("-")) {
                i++;
            }
            if (classpath == null || args.size() < i + 2) {
                return fail("usage: CLASSPATH=JAR app_process [vm-options] cmd-dir start-class-name [options]", 1);
            }
            List<String> cp = new ArrayList<>();
            try {
                for (String entry : classpath.split(":")) {
                    if (!entry.isEmpty()) {
                        cp.add(files.map(entry).toString());
                    }
                }
            } catch (PhoneFiles.Refused e) {
                return fail("app_process: " + e.getMessage(), 1);
            }
            cp.addAll(hostClasspath);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-cp");
            command.add(String.join(java.io.File.pathSeparator, cp));
            // the program sees the phone's file system: absolute paths in its arguments (dir=/data/...,
            // libs=/data/...) are mapped under the phone's root, as CLASSPATH is
            for (String a : args.subList(i + 1, args.size())) {
                command.add(mapPathArgument(a));
            }
            PhoneProcesses.Sink outSink = sink(stdout, background);
            PhoneProcesses.Sink errSink = stderr == stdout && stdout != out ? null : sink(stderr, background);
            Process p = processes.start(command, files.root().toFile(), outSink, errSink);
            if (background) {
                lastBackgroundPid = Long.toString(p.pid());
                return 0;
            }
            Thread pumpErr = null;
            if (errSink instanceof PhoneProcesses.Inherit) {
                OutputStream target = stderr == out ? out : err;
                pumpErr = new Thread(() -> pump(p.getErrorStream(), target), "fake-phone-stderr-" + p.pid());
                pumpErr.start();
            }
            if (outSink instanceof PhoneProcesses.Inherit) {
                pump(p.getInputStream(), stdout == err ? err : out);
            }
            try {
                int status = p.waitFor();
                if (pumpErr != null) {
                    pumpErr.join();
                }
                return status;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                return 130;
            }
        }

        private PhoneProcesses.Sink sink(Object target, boolean background) {
            if (target instanceof PhoneProcesses.ToFile f) {
                return f;
            }
            if (target == null || background) {
                return new PhoneProcesses.Discard();
            }
            return new PhoneProcesses.Inherit();
        }
    }

    private static void pump(InputStream in, OutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the shell session ended under the child: its output has nowhere to go
        }
    }

    /** The streams a builtin writes to, opening (and closing) redirection files. */
    private static final class Outputs implements AutoCloseable {
        final OutputStream out;
        final OutputStream err;
        private final List<OutputStream> opened = new ArrayList<>();

        Outputs(Object stdout, Object stderr, OutputStream sessionOut, OutputStream sessionErr) throws IOException {
            Map<Object, OutputStream> files = new LinkedHashMap<>();
            this.out = open(stdout, files);
            this.err = open(stderr, files);
        }

        private OutputStream open(Object target, Map<Object, OutputStream> already) throws IOException {
            if (target == null) {
                return OutputStream.nullOutputStream();
            }
            if (target instanceof OutputStream s) {
                return s;
            }
            PhoneProcesses.ToFile f = (PhoneProcesses.ToFile) target;
            OutputStream existing = already.get(f);
            if (existing != null) {
                return existing;
            }
            OutputStream s = new FileOutputStream(f.file(), f.append());
            opened.add(s);
            already.put(f, s);
            return s;
        }

        @Override
        public void close() throws IOException {
            for (OutputStream s : opened) {
                s.close();
            }
        }
    }

    // ---- builtins ---------------------------------------------------------------------------------

    private int builtin(List<String> argv, OutputStream out, OutputStream err) throws IOException {
        String name = argv.get(0);
        List<String> args = argv.subList(1, argv.size());
        Printer o = new Printer(out);
        Printer e = new Printer(err);
        try {
            return switch (name) {
                case "true" -> 0;
                case "false" -> 1;
                case "echo" -> echo(args, o);
                case "getprop" -> getprop(args, o);
                case "mkdir" -> mkdir(args, e);
                case "rm" -> rm(args, e);
                case "ls" -> ls(args, o, e);
                case "cat" -> cat(args, out, e);
                case "tail" -> tail(args, out, e);
                case "sha256sum" -> sha256sum(args, o, e);
                case "chmod" -> chmod(args, e);
                case "kill" -> kill(args, e);
                case "ps" -> ps(o);
                case "pidof" -> pidof(args, o);
                case "sleep" -> sleep(args);
                default -> {
                    e.line("sh: " + name + ": not found");
                    yield 127;
                }
            };
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Writes UTF-8 lines. */
    private record Printer(OutputStream out) {
        void line(String s) throws IOException {
            out.write((s + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static int echo(List<String> args, Printer o) throws IOException {
        boolean newline = !args.isEmpty() && args.get(0).equals("-n") ? false : true;
        List<String> words = newline ? args : args.subList(1, args.size());
        String text = String.join(" ", words);
        o.out().write((newline ? text + "\n" : text).getBytes(StandardCharsets.UTF_8));
        return 0;
    }

    private int getprop(List<String> args, Printer o) throws IOException {
        if (args.isEmpty()) {
            for (Map.Entry<String, String> p : properties.entrySet()) {
                o.line("[" + p.getKey() + "]: [" + p.getValue() + "]");
            }
        } else {
            o.line(properties.getOrDefault(args.get(0), args.size() > 1 ? args.get(1) : ""));
        }
        return 0;
    }

    private int mkdir(List<String> args, Printer e) throws IOException {
        boolean parents = args.contains("-p");
        int status = 0;
        for (String a : operands(args)) {
            try {
                Path p = files.map(a);
                if (parents) {
                    Files.createDirectories(p);
                } else {
                    Files.createDirectory(p);
                }
            } catch (PhoneFiles.Refused ex) {
                e.line("mkdir: " + ex.getMessage());
                status = 1;
            } catch (IOException ex) {
                e.line("mkdir: '" + a + "': " + reason(ex));
                status = 1;
            }
        }
        return status;
    }

    private int rm(List<String> args, Printer e) throws IOException {
        String flags = String.join("", args.stream().filter(a -> a.startsWith("-")).toList());
        boolean recursive = flags.contains("r") || flags.contains("R");
        boolean force = flags.contains("f");
        int status = 0;
        for (String a : operands(args)) {
            try {
                Path p = files.map(a);
                if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    if (!force) {
                        e.line("rm: " + a + ": No such file or directory");
                        status = 1;
                    }
                } else if (Files.isDirectory(p) && !recursive) {
                    e.line("rm: " + a + ": Is a directory");
                    status = 1;
                } else {
                    deleteTree(p, p.equals(files.root()));
                }
            } catch (PhoneFiles.Refused ex) {
                e.line("rm: " + ex.getMessage());
                status = 1;
            }
        }
        return status;
    }

    private static void deleteTree(Path p, boolean keepTop) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!(keepTop && q.equals(p))) {
                    Files.delete(q);
                }
            }
        }
    }

    private int ls(List<String> args, Printer o, Printer e) throws IOException {
        List<String> targets = operands(args);
        if (targets.isEmpty()) {
            targets = List.of("/");
        }
        int status = 0;
        for (String a : targets) {
            try {
                Path p = files.map(a);
                if (Files.isDirectory(p)) {
                    try (Stream<Path> list = Files.list(p)) {
                        for (String n : list.map(q -> q.getFileName().toString()).sorted().toList()) {
                            o.line(n);
                        }
                    }
                } else if (Files.exists(p)) {
                    o.line(a);
                } else {
                    e.line("ls: " + a + ": No such file or directory");
                    status = 1;
                }
            } catch (PhoneFiles.Refused ex) {
                e.line("ls: " + ex.getMessage());
                status = 1;
            }
        }
        return status;
    }

    private int cat(List<String> args, OutputStream out, Printer e) throws IOException {
        int status = 0;
        for (String a : operands(args)) {
            try {
                Path p = files.map(a);
                if (!Files.isRegularFile(p)) {
                    e.line("cat: " + a + ": No such file or directory");
                    status = 1;
                } else {
                    Files.copy(p, out);
                }
            } catch (PhoneFiles.Refused ex) {
                e.line("cat: " + ex.getMessage());
                status = 1;
            }
        }
        return status;
    }

    /** {@code tail [-n N | -N] FILE}. */
    private int tail(List<String> args, OutputStream out, Printer e) throws IOException {
        int lines = 10;
        List<String> rest = new ArrayList<>(args);
        if (rest.size() >= 2 && rest.get(0).equals("-n")) {
            lines = Integer.parseInt(rest.get(1));
            rest = rest.subList(2, rest.size());
        } else if (!rest.isEmpty() && rest.get(0).matches("-[0-9]+")) {
            lines = Integer.parseInt(rest.get(0).substring(1));
            rest = rest.subList(1, rest.size());
        }
        if (rest.size() != 1) {
            e.line("usage: tail [-n N] FILE");
            return 1;
        }
        try {
            Path p = files.map(rest.get(0));
            if (!Files.isRegularFile(p)) {
                e.line("tail: " + rest.get(0) + ": No such file or directory");
                return 1;
            }
            String text = Files.readString(p, StandardCharsets.ISO_8859_1);
            List<String> all = Arrays.asList(text.split("\n", -1));
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
                all = all.subList(0, all.size() - 1);
            }
            for (String l : all.subList(Math.max(0, all.size() - lines), all.size())) {
                out.write((l + "\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            return 0;
        } catch (PhoneFiles.Refused ex) {
            e.line("tail: " + ex.getMessage());
            return 1;
        }
    }

    /** Toybox's format: {@code <64 hex>  <path as given>}; missing files go to stderr and make the status 1. */
    private int sha256sum(List<String> args, Printer o, Printer e) throws IOException {
        int status = 0;
        for (String a : operands(args)) {
            try {
                Path p = files.map(a);
                if (!Files.isRegularFile(p)) {
                    e.line("sha256sum: " + a + ": No such file or directory");
                    status = 1;
                    continue;
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (InputStream in = Files.newInputStream(p)) {
                    byte[] buffer = new byte[65536];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        sha.update(buffer, 0, n);
                    }
                }
                o.line(HexFormat.of().formatHex(sha.digest()) + "  " + a);
            } catch (PhoneFiles.Refused ex) {
                e.line("sha256sum: " + ex.getMessage());
                status = 1;
            } catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException("every JDK has SHA-256", ex);
            }
        }
        return status;
    }

    private int chmod(List<String> args, Printer e) throws IOException {
        List<String> ops = operands(args);
        if (ops.size() < 2 || !ops.get(0).matches("[0-7]{3,4}")) {
            e.line("chmod: only octal modes are supported by this test phone");
            return 1;
        }
        int mode = Integer.parseInt(ops.get(0), 8);
        int status = 0;
        for (String a : ops.subList(1, ops.size())) {
            try {
                Path p = files.map(a);
                if (!Files.exists(p)) {
                    e.line("chmod: " + a + ": No such file or directory");
                    status = 1;
                } else {
                    Files.setPosixFilePermissions(p, permissions(mode));
                }
            } catch (PhoneFiles.Refused ex) {
                e.line("chmod: " + ex.getMessage());
                status = 1;
            }
        }
        return status;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    /** {@code kill [-9|-KILL|-15|-TERM|-0] PID...}; only the phone's own programs can be signalled. */
    private int kill(List<String> args, Printer e) throws IOException {
        String signal = "TERM";
        List<String> pids = new ArrayList<>(args);
        if (!pids.isEmpty() && pids.get(0).startsWith("-")) {
            signal = pids.remove(0).substring(1).replace("SIG", "");
        }
        int status = 0;
        for (String pid : pids) {
            java.util.Optional<Process> p = pid.matches("[0-9]{1,10}") ? processes.find(Long.parseLong(pid))
                    : java.util.Optional.empty();
            if (p.isEmpty()) {
                e.line("kill: pid " + pid + ": No such process");
                status = 1;
            } else if (signal.equals("9") || signal.equals("KILL")) {
                p.get().destroyForcibly();
            } else if (!signal.equals("0")) {
                p.get().destroy();
            }
        }
        return status;
    }

    private int ps(Printer o) throws IOException {
        o.line("USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME");
        o.line("root             1     0       0      0 0                   0 S init");
        for (long pid : processes.pids()) {
            o.line(String.format("shell   %10d     1       0      0 0                   0 S app_process", pid));
        }
        return 0;
    }

    private int pidof(List<String> args, Printer o) throws IOException {
        List<Long> pids = args.contains("app_process") ? processes.pids() : List.of();
        if (pids.isEmpty()) {
            return 1;
        }
        o.line(String.join(" ", pids.stream().map(String::valueOf).toList()));
        return 0;
    }

    private static int sleep(List<String> args) throws IOException {
        try {
            Thread.sleep((long) (1000 * Double.parseDouble(args.isEmpty() ? "0" : args.get(0))));
            return 0;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (NumberFormatException ex) {
            return 1;
        }
    }

    private static List<String> operands(List<String> args) {
        List<String> ops = new ArrayList<>();
        boolean options = true;
        for (String a : args) {
            if (options && a.equals("--")) {
                options = false;
            } else if (options && a.startsWith("-") && a.length() > 1) {
                continue;
            } else {
                ops.add(a);
            }
        }
        return ops;
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        return e.getMessage();
    }

    /** Captures a whole run, for callers that want text (tests of the shell itself). */
    static String[] capture(FakeShell shell, String line) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = shell.run(line, out, err);
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), Integer.toString(status)};
    }
}
