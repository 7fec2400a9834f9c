package org.mrw.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mrw.protocol.Protocol;

/**
 * The agent contract with the agent as its own {@code java} process, started the way the workbench
 * starts the host device: agent classes + protocol + the runtimes' jars on the class path, DJL offline.
 */
class ProcessAgentTest extends AgentContractTest {

    private static final Pattern LISTENING = Pattern.compile("mrw-agent listening 127\\.0\\.0\\.1:(\\d+) protocol (\\d+)");

    private Process process;

    @Override
    int startAgent(Path dir, Path libs) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-cp", classPath, AgentMain.class.getName(),
                String.valueOf(Protocol.VERSION), "port=0", "threads=2", "idle=120", "dir=" + dir, "libs=" + libs));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        env.put("DNNL_MAX_CPU_ISA", "AVX2");
        env.put("MRW_AGENT_TOKEN", TOKEN); // token through the environment: not visible in ps
        File log = work.resolve("agent-stderr.log").toFile();
        pb.redirectError(log);
        process = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(120, TimeUnit.SECONDS);
        assertThat(line).as("first stdout line (stderr in " + log + ")").isNotNull();
        Matcher m = LISTENING.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        assertThat(m.group(2)).isEqualTo(String.valueOf(Protocol.VERSION));
        return Integer.parseInt(m.group(1));
    }

    @Override
    void assertStopped() throws Exception {
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("agent process ended").isTrue();
        assertThat(process.exitValue()).isZero();
    }

    @Override
    void stopAgent() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }
}
