import static org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner.newConfigs;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a real Elasticsearch 7.10.2 cluster of N nodes in one JVM (the
 * cluster runner from Maven Central) with settings the project needs:
 * loopback only, fixed HTTP and transport ports per node, discovery limited
 * to this cluster's own nodes (so a test stack never meets a dev stack), and
 * no disk watermarks (development machines have small, shared disks).
 *
 * Usage: Launcher CLUSTER_NAME BASE_PATH HTTP_PORT TRANSPORT_PORT NODES [CONTROL_DIR]
 * Node i (1-based) listens on HTTP_PORT + i - 1 and TRANSPORT_PORT + i - 1.
 * With CONTROL_DIR, single nodes can be stopped and started (see NodeControl).
 */
public final class Launcher {
    private Launcher() {}

    public static void main(final String[] args) throws Exception {
        if (args.length != 5 && args.length != 6) {
            System.err.println("usage: Launcher CLUSTER_NAME BASE_PATH HTTP_PORT TRANSPORT_PORT NODES [CONTROL_DIR]");
            System.exit(2);
        }
        final String clusterName = args[0];
        final String basePath = args[1];
        final int httpPort = Integer.parseInt(args[2]);
        final int transportPort = Integer.parseInt(args[3]);
        final int nodes = Integer.parseInt(args[4]);

        final List<String> seedHosts = new ArrayList<>();
        final List<String> masterNodes = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            seedHosts.add("127.0.0.1:" + (transportPort + i));
            masterNodes.add("node-" + (i + 1));
        }

        final ControlledRunner runner = new ControlledRunner();
        final NodeControl control =
                args.length == 6 ? new NodeControl(runner, Paths.get(args[5]), nodes) : null;
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (control != null) {
                    control.close();
                }
                runner.close();
            } catch (final Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));

        // the runner probes ports up to a cap (9299 by default); ours are fixed below
        runner.setMaxHttpPort(httpPort + nodes);
        runner.onBuild((number, settings) -> {
            settings.put("node.name", "node-" + number);
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", String.valueOf(httpPort + number - 1));
            settings.put("transport.port", String.valueOf(transportPort + number - 1));
            settings.putList("discovery.seed_hosts", seedHosts);
            settings.putList("cluster.initial_master_nodes", masterNodes);
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            settings.put("action.auto_create_index", "false");
            settings.put("http.max_content_length", "200mb");
            if (nodes > 1) {
                // every node's real-memory breaker would measure the one heap all nodes
                // share, and refuse requests for load that belongs to the others
                settings.put("indices.breaker.total.use_real_memory", "false");
            }
        }).build(newConfigs()
                .clusterName(clusterName)
                .basePath(basePath)
                .numOfNode(nodes)
                .baseHttpPort(httpPort - 1));

        if (control != null) {
            control.start();
        }
        System.out.println("READY http=127.0.0.1:" + httpPort + " nodes=" + nodes);
        stopped.await();
    }
}
