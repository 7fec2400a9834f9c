package org.mrw.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mrw.protocol.Protocol;

class AgentMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AgentMain.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void refusesAWorkbenchOfAnotherProtocolVersion() {
        assertThat(run(String.valueOf(Protocol.VERSION + 1), "token=t")).isEqualTo(3);
        assertThat(err()).contains("redeploy the agent");
        assertThat(out.size()).isZero();
    }

    @Test
    void withoutATokenRefusesToStart() {
        assertThat(run(String.valueOf(Protocol.VERSION))).isEqualTo(2);
        assertThat(err()).contains("no session token");
    }

    @Test
    void unknownOptionsAndBadNumbersAreNamed() {
        assertThat(run(String.valueOf(Protocol.VERSION), "token=t", "colour=red")).isEqualTo(2);
        assertThat(err()).contains("unknown option 'colour'");
        assertThat(run(String.valueOf(Protocol.VERSION), "token=t", "port=99999")).isEqualTo(2);
        assertThat(err()).contains("port=99999 is outside 0..65535");
    }

    @Test
    void withoutArgumentsPrintsUsage() {
        assertThat(run()).isEqualTo(2);
    }

    @Test
    void idleAgentPrintsItsPortAndExitsOnItsOwn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        int code = run(String.valueOf(Protocol.VERSION), "token=t", "idle=1", "dir=" + dir);
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).matches("mrw-agent listening 127\\.0\\.0\\.1:\\d+ protocol 1\\R");
        assertThat(err()).contains("no connection for 1 s");
    }

    @Test
    void extensionsKeepPlainSuffixesOnly() {
        assertThat(AgentServer.extension("resnet_float.ptl")).isEqualTo(".ptl");
        assertThat(AgentServer.extension("../../evil")).isEqualTo(".model");
        assertThat(AgentServer.extension("x.t/../y")).isEqualTo(".model");
    }
}
