package org.mrw.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mrw.protocol.Protocol;

class AgentMainTest {

    @Test
    void refusesAWorkbenchOfAnotherProtocolVersion() {
        assertThat(AgentMain.run(new String[] {String.valueOf(Protocol.VERSION + 1)})).isEqualTo(3);
    }

    @Test
    void acceptsItsOwnProtocolVersion() {
        assertThat(AgentMain.run(new String[] {String.valueOf(Protocol.VERSION)})).isZero();
    }

    @Test
    void withoutArgumentsPrintsUsage() {
        assertThat(AgentMain.run(new String[0])).isEqualTo(2);
    }
}
