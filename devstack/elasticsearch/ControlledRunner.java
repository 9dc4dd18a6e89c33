import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;
import org.codelibs.elasticsearch.runner.node.ClusterRunnerNode;
import org.elasticsearch.node.Node;

/**
 * The cluster runner, able to stop one node and start it again while the
 * others keep running (fault tests take a node away for real). The runner's
 * own startNode leaves a half-started node holding its data-path lock when a
 * start fails; this one closes it, so a later start can succeed.
 */
final class ControlledRunner extends ElasticsearchClusterRunner {
    private static final long CLOSE_TIMEOUT_S = 60;

    /** True while node NUMBER (1-based) is started. */
    boolean isRunning(final int number) {
        return !getNode(number - 1).isClosed();
    }

    /** Close node NUMBER: its HTTP and transport ports close and the cluster sees it leave. */
    void stopNode(final int number) throws IOException, InterruptedException {
        final Node node = getNode(number - 1);
        node.close();
        // wait for its thread pools, so the data path and ports are free for a restart
        if (!node.awaitClose(CLOSE_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new IOException("node-" + number + " did not close within " + CLOSE_TIMEOUT_S + "s");
        }
    }

    /** Start node NUMBER again with its original settings and data. */
    void restartNode(final int number) throws Exception {
        final int index = number - 1;
        final Node node = new ClusterRunnerNode(envList.get(index), pluginList);
        try {
            node.start();
        } catch (final Exception e) {
            try {
                node.close();
            } catch (final IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        nodeList.set(index, node);
    }
}
