package org.mrw.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static Object parse(String s) throws ProtocolException {
        return Json.parse(s, 1 << 20);
    }

    @Test
    void readsEveryKindOfValue() throws ProtocolException {
        Object v = parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\\\"\\/\"], \"b\": {}, \"c\": 12345678901234} ");
        assertThat(v).isEqualTo(Map.of("a", Arrays.asList(1L, -2500.0, true, false, null, "xé\n\"/"), "b", Map.of(),
                "c", 12345678901234L));
    }

    @Test
    void writesWhatItReads() throws ProtocolException {
        String text = "{\"s\":\"tab\\there \\u0001 \\\\ \\\"q\\\"\",\"n\":[0,-7,0.125,1.0E-7],\"o\":{\"t\":true,\"z\":null}}";
        assertThat(Json.write(parse(text))).isEqualTo(text);
        assertThat(parse(Json.write(parse(text)))).isEqualTo(parse(text));
    }

    @Test
    void malformedTextNamesTheOffset() {
        assertThatThrownBy(() -> parse("{\"a\" 1}")).isInstanceOf(ProtocolException.class)
                .hasMessage("malformed JSON header at offset 5: expected ':', found '1'");
        assertThatThrownBy(() -> parse("[1,]")).hasMessage("malformed JSON header at offset 3: unexpected ']' where a value was expected");
        assertThatThrownBy(() -> parse("{} x")).hasMessage("malformed JSON header at offset 3: unexpected 'x' after the JSON value");
        assertThatThrownBy(() -> parse("\"abc")).hasMessage("malformed JSON header at offset 0: unterminated string");
        assertThatThrownBy(() -> parse("\"a\tb\"")).hasMessage("malformed JSON header at offset 2: raw control character U+0009 in a string (escape it)");
        assertThatThrownBy(() -> parse("01")).hasMessage("malformed JSON header at offset 1: unexpected '1' after the JSON value");
        assertThatThrownBy(() -> parse("{\"a\":1,\"a\":2}")).hasMessage("malformed JSON header at offset 7: duplicate member name \"a\"");
        assertThatThrownBy(() -> parse("tru")).hasMessage("malformed JSON header at offset 0: unexpected 't' (expected true)");
        assertThatThrownBy(() -> parse("\"\\x\"")).hasMessage("malformed JSON header at offset 1: unknown escape \\x");
    }

    @Test
    void nestingIsBounded() throws ProtocolException {
        assertThat(parse("[".repeat(32) + "]".repeat(32))).isInstanceOf(List.class);
        assertThatThrownBy(() -> parse("[".repeat(33) + "]".repeat(33)))
                .hasMessage("malformed JSON header at offset 32: nesting deeper than 32 levels");
        assertThatThrownBy(() -> parse("[".repeat(100_000))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void sizeIsBounded() {
        assertThatThrownBy(() -> Json.parse("[1,2,3]", 5)).hasMessage("JSON text of 7 characters exceeds the 5-character limit");
    }

    @Test
    void writerRefusesWhatJsonCannotHold() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hugeIntegersBecomeDoubles() throws ProtocolException {
        assertThat(parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(parse("9223372036854775808")).isEqualTo(9.223372036854775808E18);
    }
}
