package somec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * Runs a Neo4j Community DBMS in this JVM until SIGTERM; started by tools/neo4j/server.
 *
 * <p>Usage: {@code java -cp ... somec.Neo4jServer HOME}, with the password of user {@code neo4j} as the
 * first line of standard input. Everything else (Bolt address, memory, directories) is in
 * HOME/conf/neo4j.conf, the same file neo4j-admin reads, so both see the same databases.
 */
public final class Neo4jServer {
    private Neo4jServer() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // One line for the script to show, the stack trace for the log; exit() runs the shutdown hook.
            System.err.println("Neo4j failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: somec.Neo4jServer HOME  (password on stdin)");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path run = Files.createDirectories(home.resolve("run"));
        Path pidFile = run.resolve("neo4j.pid");
        Path readyFile = run.resolve("ready");
        Files.deleteIfExists(readyFile);
        // The pid file comes first, so the script can find (and stop) us while the DBMS is still starting.
        String pid = ProcessHandle.current().pid() + "\n";
        write(pidFile, pid);

        // The password comes on stdin: a command-line argument would show in `ps`, the environment in /proc.
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("no password on standard input");
        }

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(home.resolve("conf/neo4j.conf"))
                .build();
        // SIGTERM (tools/neo4j/server stop) runs this hook: an orderly shutdown checkpoints the stores,
        // so the next start needs no recovery.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(readyFile);
                dbms.shutdown();
                if (Files.exists(pidFile) && Files.readString(pidFile).equals(pid)) {
                    Files.delete(pidFile); // only our own: a newer server of HOME may have written it
                }
            } catch (Exception e) {
                System.err.println("Shutdown failed: " + e);
            }
        }, "somec-neo4j-shutdown"));

        setPassword(dbms, password);
        // Written last and atomically: once it exists, Bolt is listening and the password works.
        write(readyFile, "ready\n");
        System.err.println("Neo4j is ready (pid " + pid.trim() + ").");
        new CountDownLatch(1).await(); // serve until the JVM is told to exit
    }

    /**
     * Sets the password of {@code neo4j} on every start, with no forced change, so that drivers can log in
     * at once (a fresh DBMS has neo4j/neo4j with "change required"). The embedded API runs with full
     * rights, so no login is needed for this.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        var system = dbms.database("system");
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                    Map.of("pw", password));
        } catch (QueryExecutionException e) {
            // Neo4j refuses to "change" a password to the one it already has: that is the restart case.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    private static void write(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
