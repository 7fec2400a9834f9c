package org.mrw.agent;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mrw.agent.runtime.InferenceRuntime;
import org.mrw.agent.runtime.InferenceRuntime.RuntimeFailure;

/**
 * The runtimes this agent found, by reflection from a list of candidate classes, so that a runtime
 * whose classes or natives are missing (DJL on a phone, Android's runtimes on the desktop) is
 * reported unavailable with the reason instead of crashing the agent. The first available
 * candidate of each wire name wins.
 */
final class Runtimes {

    /** A candidate: the wire name it would serve and its class. */
    static final class Candidate {
        final String name;
        final String className;

        Candidate(String name, String className) {
            this.name = name;
            this.className = className;
        }
    }

    /** Candidates in order of preference. */
    static final List<Candidate> CANDIDATES = Collections.unmodifiableList(java.util.Arrays.asList(
            new Candidate("tflite", "org.mrw.agent.runtime.TfliteRuntime"),
            // the desktop's DJL first: on a phone its classes are missing and the Android runtime serves; on
            // the desktop the Android classes may be on a build's class path without their natives
            new Candidate("pytorch-lite", "org.mrw.agent.host.DjlPytorchRuntime"),
            new Candidate("pytorch-lite", "org.mrw.agent.android.PytorchLiteRuntime")));

    /** One wire name's outcome: the runtime, or why none was available. */
    static final class Entry {
        final String name;
        final InferenceRuntime runtime;
        final String reason;

        Entry(String name, InferenceRuntime runtime, String reason) {
            this.name = name;
            this.runtime = runtime;
            this.reason = reason;
        }
    }

    private final Map<String, Entry> entries;

    private Runtimes(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** Tries each candidate; logs what it found on {@code log}. */
    static Runtimes discover(List<Candidate> candidates, java.io.PrintStream log) {
        Map<String, Entry> found = new LinkedHashMap<String, Entry>();
        Map<String, List<String>> reasons = new LinkedHashMap<String, List<String>>();
        for (Candidate c : candidates) {
            if (!reasons.containsKey(c.name)) {
                reasons.put(c.name, new ArrayList<String>());
            }
            if (found.containsKey(c.name)) {
                continue;
            }
            long start = System.nanoTime();
            try {
                InferenceRuntime r = instantiate(c.className);
                if (!r.name().equals(c.name)) {
                    reasons.get(c.name).add(c.className + " calls itself '" + r.name() + "'");
                    continue;
                }
                found.put(c.name, new Entry(c.name, r, null));
                log.println("mrw-agent: runtime " + c.name + " " + r.version() + " from " + c.className + " ("
                        + (System.nanoTime() - start) / 1_000_000 + " ms)");
            } catch (RuntimeFailure e) {
                reasons.get(c.name).add(shortName(c.className) + ": " + e.getMessage());
            }
        }
        Map<String, Entry> all = new LinkedHashMap<String, Entry>();
        for (Map.Entry<String, List<String>> e : reasons.entrySet()) {
            Entry ok = found.get(e.getKey());
            if (ok != null) {
                all.put(e.getKey(), ok);
            } else {
                String reason = join(e.getValue());
                all.put(e.getKey(), new Entry(e.getKey(), null, reason));
                log.println("mrw-agent: runtime " + e.getKey() + " unavailable: " + reason);
            }
        }
        return new Runtimes(all);
    }

    /** Wraps already made runtimes (tests). */
    static Runtimes of(List<InferenceRuntime> runtimes) {
        Map<String, Entry> all = new LinkedHashMap<String, Entry>();
        for (InferenceRuntime r : runtimes) {
            if (!all.containsKey(r.name())) {
                all.put(r.name(), new Entry(r.name(), r, null));
            }
        }
        return new Runtimes(all);
    }

    /**
     * Loads and constructs a runtime class. Missing classes or natives surface as linkage errors
     * or as the runtime's own RuntimeFailure; both become "unavailable", which is the point of
     * loading runtimes by reflection.
     */
    private static InferenceRuntime instantiate(String className) throws RuntimeFailure {
        try {
            Class<?> c = Class.forName(className);
            Object o = c.getConstructor().newInstance();
            if (!(o instanceof InferenceRuntime)) {
                throw new RuntimeFailure(className + " is not an InferenceRuntime");
            }
            return (InferenceRuntime) o;
        } catch (ClassNotFoundException e) {
            throw new RuntimeFailure("class not in this agent's jar or class path", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeFailure) {
                throw (RuntimeFailure) cause;
            }
            throw new RuntimeFailure("start failed: " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new RuntimeFailure("cannot load: " + e, e);
        }
    }

    private static String shortName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String join(List<String> parts) {
        StringBuilder s = new StringBuilder();
        for (String p : parts) {
            s.append(s.length() == 0 ? "" : "; ").append(p);
        }
        return s.toString();
    }

    /** Every wire name, available or not, in candidate order. */
    List<Entry> entries() {
        return new ArrayList<Entry>(entries.values());
    }

    /** The available runtime of that name, or null. */
    Entry entry(String name) {
        return entries.get(name);
    }
}
