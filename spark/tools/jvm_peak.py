"""Peak memory of every JVM of one Spark run: runs a command (e.g. `etl run --engine spark
...`) and samples /proc every 0.5 s for the java processes in its process tree and in the
process groups of the recorded standalone cluster (spark-work/cluster/state.json), which
the harness's own sampler does not see. Prints one JSON line with each JVM's high-water mark
(VmHWM) and the peak of their summed RSS.

    python spark/tools/jvm_peak.py -- node bin/etl.js run --engine spark --input ...
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

# The one /proc reader of the Python side lives in the job package (main.py uses it too).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from etl_spark import procfs  # noqa: E402

KINDS = {
    "launcher.Main": "launcher",
    "deploy.master.Master": "master",
    "deploy.worker.Worker": "worker",
    "CoarseGrainedExecutorBackend": "executor",
    "SparkSubmit": "driver",
}


def _jvm(pid: int) -> tuple[str, int, int] | None:
    """(kind, VmRSS kB, VmHWM kB) when pid is a java process."""
    args = procfs.cmdline(pid)
    if not args or os.path.basename(args[0]) != "java":
        return None
    status = procfs.status_kb(pid)
    if "VmRSS" not in status or "VmHWM" not in status:
        return None
    cmd = " ".join(args)
    kind = next((k for needle, k in KINDS.items() if needle in cmd), "java")
    return kind, status["VmRSS"], status["VmHWM"]


def _cluster_groups(dir_: Path) -> set[int]:
    state = dir_ / "state.json"
    if not state.exists():
        return set()
    data = json.loads(state.read_text())
    return {data["master"]["pid"], *(w["pid"] for w in data["workers"])}


def main(argv: list[str]) -> int:
    cmd = argv[argv.index("--") + 1 :] if "--" in argv else argv
    cluster_dir = Path(
        os.environ.get(
            "ETL_SPARK_CLUSTER_DIR", Path(__file__).resolve().parents[2] / "spark-work" / "cluster"
        )
    )
    groups = _cluster_groups(cluster_dir)
    child = subprocess.Popen(cmd)
    peaks: dict[int, tuple[str, int]] = {}
    sum_peak = 0
    while child.poll() is None:
        procs = {}
        for pid in procfs.pids():
            st = procfs.read_stat(pid)
            if st is not None and st.state != "Z":
                procs[pid] = (st.ppid, st.pgrp)
        mine = {child.pid}
        changed = True
        while changed:  # descendants of the command
            new = {p for p, (ppid, _) in procs.items() if ppid in mine} - mine
            mine |= new
            changed = bool(new)
        mine |= {p for p, (_, pgrp) in procs.items() if pgrp in groups}
        total = 0
        for pid in mine:
            if (jvm := _jvm(pid)) is not None:
                kind, rss, hwm = jvm
                peaks[pid] = (kind, max(hwm, peaks.get(pid, (kind, 0))[1]))
                total += rss
        sum_peak = max(sum_peak, total)
        time.sleep(0.5)
    print(
        json.dumps(
            {
                "jvm_peak_mb": {f"{k}:{p}": round(v / 1024) for p, (k, v) in sorted(peaks.items())},
                "sum_rss_peak_mb": round(sum_peak / 1024),
                "exit_code": child.returncode,
            }
        ),
        file=sys.stderr,
    )
    return child.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
