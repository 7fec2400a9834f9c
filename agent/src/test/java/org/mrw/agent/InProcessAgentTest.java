package org.mrw.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The agent contract with the server in this JVM (as a unit, without a process around it). */
class InProcessAgentTest extends AgentContractTest {

    private AgentServer server;
    private CompletableFuture<String> stopped;

    @Override
    int startAgent(Path dir, Path libs) throws Exception {
        NativeLibraries.loadAll(libs.toFile(), System.err);
        Runtimes runtimes = Runtimes.discover(Runtimes.CANDIDATES, System.err);
        server = new AgentServer(new AgentOptions(0, TOKEN, 2, dir.toFile(), libs.toFile(), 0), runtimes, System.err);
        int p = server.start();
        stopped = CompletableFuture.supplyAsync(() -> {
            try {
                return server.awaitStop();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        return p;
    }

    @Override
    void assertStopped() throws Exception {
        assertThat(stopped.get(10, TimeUnit.SECONDS)).isEqualTo("SHUTDOWN requested");
    }

    @Override
    void stopAgent() {
        if (server != null) {
            server.close();
        }
    }
}
