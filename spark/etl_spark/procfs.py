"""The one reader of Linux /proc in Python (proc(5)): the job's start time and launcher check
(main.py) and the per-JVM peak sampler (spark/tools/jvm_peak.py) use it. Every function
answers None (or an empty result) for a process that is gone."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple


class ProcStat(NamedTuple):
    state: str  # one letter: R running, S sleeping, Z zombie, ...
    ppid: int
    pgrp: int
    start_ticks: int  # start time after boot, in clock ticks


def parse_stat(text: str) -> ProcStat:
    """The text of /proc/<pid>/stat; the command name is in parentheses and may hold spaces."""
    fields = text[text.rindex(")") + 2 :].split()
    return ProcStat(fields[0], int(fields[1]), int(fields[2]), int(fields[19]))


def read_stat(pid: int) -> ProcStat | None:
    try:
        return parse_stat(Path(f"/proc/{pid}/stat").read_text())
    except (OSError, ValueError, IndexError):
        return None


def status_kb(pid: int) -> dict[str, int]:
    """The `<key>: <n> kB` lines of /proc/<pid>/status (VmRSS, VmHWM, ...), in kB."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        parts = value.split()
        if len(parts) == 2 and parts[1] == "kB" and parts[0].isdigit():
            out[key] = int(parts[0])
    return out


def cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [a.decode(errors="replace") for a in raw.split(b"\0") if a]


def pids() -> list[int]:
    return [int(e) for e in os.listdir("/proc") if e.isdigit()]


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def start_epoch_ms(pid: int) -> float | None:
    """Wall-clock start of a process in epoch ms (boot time + its start ticks)."""
    stat = read_stat(pid)
    if stat is None:
        return None
    try:
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime")
        )
    except (OSError, StopIteration, IndexError, ValueError):
        return None
    return (boot + stat.start_ticks / os.sysconf("SC_CLK_TCK")) * 1000
