package org.mrw.core.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The {@code --json} option every command shares: one JSON document on stdout and nothing else. */
final class JsonOutput {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", description = "Print one JSON document on stdout and nothing else there.")
    boolean json;

    /** Prints {@code document} as JSON when {@code --json} is on, else the human text. */
    void print(PrintWriter out, Object document, String text) {
        if (json) {
            out.println(toJson(document));
        } else {
            out.println(text);
        }
        out.flush();
    }

    static String toJson(Object document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result cannot be written as JSON", e);
        }
    }
}
