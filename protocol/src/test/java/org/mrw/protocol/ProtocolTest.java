package org.mrw.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ProtocolTest {

    @Test
    void magicSpellsMrw1OnTheWire() {
        byte[] bytes = ByteBuffer.allocate(4).putInt(Protocol.MAGIC).array();
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo("MRW1");
    }

    @Test
    void lengthsOutsideTheLimitAreRefusedBeforeAllocation() {
        assertThat(Protocol.checkLength("header", 10, Protocol.MAX_HEADER_BYTES)).isEqualTo(10);
        assertThatThrownBy(() -> Protocol.checkLength("header", Protocol.MAX_HEADER_BYTES + 1L, Protocol.MAX_HEADER_BYTES))
                .hasMessageContaining("header length");
        assertThatThrownBy(() -> Protocol.checkLength("payload", -1, Protocol.MAX_PAYLOAD_BYTES))
                .hasMessageContaining("payload length -1");
    }
}
