import type { Command } from "commander";

interface StartFlags {
  workers: string;
  cores: string;
  memory: string;
  port: string;
  webuiPort: string;
}

/** `etl spark-cluster start|stop|status`: a local Spark standalone cluster (spark/README.md). */
export function register(program: Command): void {
  const cmd = program
    .command("spark-cluster")
    .description(
      "start, stop or show a Spark standalone cluster on 127.0.0.1 (master + N workers)",
    );
  cmd
    .command("start")
    .description("start a master and N workers; prints the master URL for etl run --spark-master")
    .option("--workers <n>", "number of workers", "2")
    .option("--cores <n>", "cores per worker", "1")
    .option("--memory <size>", "memory each worker offers to executors, like 2g", "2g")
    .option("--port <n>", "master port (0 = any free port)", "7077")
    .option(
      "--webui-port <n>",
      "master web UI port, also used by status (0 = any free port)",
      "8080",
    )
    .action(async (flags: StartFlags) => {
      const { SparkCluster } = await import("../../spark/SparkCluster.ts");
      const whole = (name: string, text: string, min: number): number => {
        const n = Number(text);
        if (!Number.isSafeInteger(n) || n < min)
          throw new Error(`--${name} ${text} must be a whole number >= ${min}`);
        return n;
      };
      const state = await SparkCluster.start({
        workers: whole("workers", flags.workers, 1),
        coresPerWorker: whole("cores", flags.cores, 1),
        memoryPerWorker: flags.memory,
        port: whole("port", flags.port, 0),
        webUiPort: whole("webui-port", flags.webuiPort, 0),
      });
      console.error(
        `spark-cluster: ${state.workers.length} workers up; web UI ${state.webUiUrl}; logs in ${state.dir}/logs`,
      );
      console.log(state.masterUrl);
    });
  cmd
    .command("stop")
    .description("stop the master, the workers and their executors (no process left behind)")
    .action(async () => {
      const { SparkCluster } = await import("../../spark/SparkCluster.ts");
      const pids = await SparkCluster.stop();
      console.log(
        pids.length === 0
          ? "spark-cluster: nothing to stop"
          : `spark-cluster: stopped ${pids.length} daemons (${pids.join(", ")})`,
      );
    });
  cmd
    .command("status")
    .description(
      "show the recorded cluster, which daemons are alive and how many workers the master sees",
    )
    .option("--json", "print one JSON object")
    .action(async (opts: { json?: boolean }) => {
      const { SparkCluster } = await import("../../spark/SparkCluster.ts");
      const status = await SparkCluster.status();
      if (opts.json) {
        console.log(JSON.stringify(status, null, 2));
        return;
      }
      if (status.state === null) {
        console.log("spark-cluster: not running (etl spark-cluster start)");
        return;
      }
      console.log(
        `master ${status.state.masterUrl}  web UI ${status.state.webUiUrl}  alive workers ${status.aliveWorkers ?? "?"}`,
      );
      for (const d of status.running)
        console.log(`  ${d.role.padEnd(9)} pid ${d.pid}  ${d.alive ? "running" : "gone"}`);
      if (status.running.some((d) => !d.alive)) process.exitCode = 1;
    });
}
