import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts single nodes on request, driven by files so that
 * `devstack/stack.sh es-node` needs no extra port and nothing listens beyond
 * the nodes themselves. In the control folder:
 *
 *   node-N.stop   present: node N should be stopped; absent: it should run
 *   node-N.state  written here: "running", "stopped" or "failed: reason"
 *
 * One thread reconciles requests with the nodes, so a stop and a start never
 * overlap. A failed start is not retried by itself (it would fail the same
 * way every tick): `es-node stop N`, then `es-node start N` tries again.
 */
final class NodeControl {
    private static final long POLL_MS = 200;
    private static final long SHUTDOWN_WAIT_S = 90;

    private final ControlledRunner runner;
    private final Path dir;
    private final int nodes;
    private final boolean[] failed;
    private final String[] reported;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread thread = new Thread(r, "node-control");
        thread.setDaemon(true);
        return thread;
    });

    NodeControl(final ControlledRunner runner, final Path dir, final int nodes) {
        this.runner = runner;
        this.dir = dir;
        this.nodes = nodes;
        this.failed = new boolean[nodes + 1];
        this.reported = new String[nodes + 1];
    }

    /** Forget requests of an earlier run (a fresh JVM starts every node), report, start watching. */
    void start() throws IOException {
        Files.createDirectories(dir);
        for (int number = 1; number <= nodes; number++) {
            Files.deleteIfExists(request(number));
            report(number, "running");
        }
        executor.scheduleWithFixedDelay(this::tick, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    /** Stop watching; waits for a stop or start in progress so shutdown never races it. */
    void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(SHUTDOWN_WAIT_S, TimeUnit.SECONDS);
    }

    private Path request(final int number) {
        return dir.resolve("node-" + number + ".stop");
    }

    private void tick() {
        try {
            reconcile();
        } catch (final RuntimeException e) {
            // an exception escaping a scheduled task would end the schedule silently
            e.printStackTrace();
        }
    }

    private void reconcile() {
        for (int number = 1; number <= nodes; number++) {
            final boolean wanted = !Files.exists(request(number));
            if (!wanted) {
                failed[number] = false;
            }
            if (failed[number]) {
                continue;
            }
            if (wanted != runner.isRunning(number)) {
                change(number, wanted);
            } else {
                report(number, wanted ? "running" : "stopped");
            }
        }
    }

    private void change(final int number, final boolean start) {
        System.out.println("node-control: " + (start ? "starting" : "stopping") + " node-" + number);
        try {
            if (start) {
                runner.restartNode(number);
            } else {
                runner.stopNode(number);
            }
            report(number, start ? "running" : "stopped");
        } catch (final Exception e) {
            failed[number] = start;
            e.printStackTrace();
            report(number, "failed: " + e);
        }
    }

    /** Write a node's state when it differs from the one last written. */
    private void report(final int number, final String state) {
        if (state.equals(reported[number])) {
            return;
        }
        reported[number] = state;
        writeState(number, state);
        System.out.println("node-control: node-" + number + " " + state);
    }

    private void writeState(final int number, final String state) {
        final Path target = dir.resolve("node-" + number + ".state");
        final Path temporary = dir.resolve("node-" + number + ".state.tmp");
        try {
            Files.write(temporary, (state.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            e.printStackTrace();
        }
    }
}
