"""Benchmarks of real processes: cold start of `reportbot ask`, start and peak memory of
`reportbot serve`."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportbot.config import Settings
from reportbot.errors import ReportbotError

HEAVY_MODULES = ("torch", "sentence_transformers")


def reportbot_command() -> list[str]:
    """The installed `reportbot` script beside this interpreter, else `python -m`."""
    script = Path(sys.executable).with_name("reportbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reportbot.cli.main"]


def child_environment(settings: Settings) -> dict[str, str]:
    """The environment that makes a child process use exactly these settings' stores."""
    env = {k: v for k, v in os.environ.items() if k != "REPORTBOT_CHROMA_URL"}
    env.update({"REPORTBOT_DATA_DIR": str(settings.data_dir.resolve()),
                "REPORTBOT_CORPUS_DIR": str(settings.corpus_dir.resolve()),
                "REPORTBOT_EMBEDDER": settings.embedder, "PYTHONUNBUFFERED": "1"})
    if settings.chroma_url:
        env["REPORTBOT_CHROMA_URL"] = settings.chroma_url
    return env


def cold_start(settings: Settings, question: str, runs: int = 3) -> dict[str, Any]:
    """Wall time of `reportbot ask QUESTION` from exec to exit (median of ``runs``)."""
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([*reportbot_command(), "ask", question], capture_output=True,
                              text=True, env=child_environment(settings), timeout=600)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise ReportbotError(f"`reportbot ask` failed during the benchmark: "
                                 f"{done.stderr.strip()[-300:]}")
    return {"seconds": round(statistics.median(times), 3),
            "runs": [round(t, 3) for t in times]}


def serve_ready(settings: Settings, runs: int = 3, timeout: float = 300) -> dict[str, Any]:
    """Seconds from exec of `reportbot serve` until its port accepts connections (median of
    ``runs``; without -X importtime, which slows the start that serve_memory watches)."""
    times: list[float] = []
    for _ in range(runs):
        port = free_port()
        started = time.perf_counter()
        proc = subprocess.Popen([*reportbot_command(), "serve", "--port", str(port)],
                                env=child_environment(settings), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            wait_for_port(port, proc, timeout)
            times.append(time.perf_counter() - started)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    return {"seconds": round(statistics.median(times), 3), "runs": [round(t, 3) for t in times]}


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[Any], timeout: float) -> None:
    """Block until something accepts connections on the port, or raise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None:
                raise ReportbotError(f"the server exited early (code {proc.returncode})") from None
            time.sleep(0.3)
    raise ReportbotError(f"nothing listened on port {port} within {timeout:.0f} s")


def proc_memory_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak resident set) and VmRSS of a live process, in MB."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)  # kB
    return values


def imported_modules(importtime_log: str) -> set[str]:
    """Top-level module names from the stderr of `python -X importtime`."""
    names: set[str] = set()
    for line in importtime_log.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name and not name.startswith("imported package"):
                names.add(name.split(".")[0])
    return names


def serve_memory(settings: Settings, questions: Sequence[str],
                 timeout: float = 300) -> dict[str, Any]:
    """Start `reportbot serve`, ask over the /chat API, read its peak RSS and its imports."""
    from gradio_client import Client

    port = free_port()
    cmd = [sys.executable, "-X", "importtime", "-m", "reportbot.cli.main", "serve", "--port",
           str(port)]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=child_environment(settings), stdout=log, stderr=log)
        try:
            wait_for_port(port, proc, timeout)
            startup = time.perf_counter() - started
            client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            for question in questions:
                client.predict(question, api_name="/chat")
            memory = proc_memory_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        log.seek(0)
        heavy = sorted(imported_modules(log.read()) & set(HEAVY_MODULES))
    return {"peak_rss_mb": memory.get("VmHWM"), "rss_mb": memory.get("VmRSS"),
            "startup_s": round(startup, 2), "questions": len(questions),
            "heavy_imports": heavy}
