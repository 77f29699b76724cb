"""Real server processes for tests: a Chroma server and the reportbot web app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from reportbot.bench import process as bench_process
from reportbot.bench.process import free_port
from reportbot.errors import ReportbotError
from tests.conftest import REPORTBOT

__all__ = ["free_port", "wait_for_port", "wait_closed", "ChromaServer"]

CHROMA = str(Path(sys.executable).with_name("chroma"))


def wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path,
                  timeout: float = 240) -> None:
    """Block until the port accepts connections; fail with the process log if it did not."""
    try:
        bench_process.wait_for_port(port, proc, timeout)
    except ReportbotError as exc:
        raise RuntimeError(f"{exc}:\n{log.read_text()[-3000:]}") from None


def wait_closed(port: int, timeout: float = 30) -> None:
    """Block until nothing accepts connections on the port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            time.sleep(0.2)
        except OSError:
            return
    raise RuntimeError(f"port {port} still open after {timeout} s")


class ChromaServer:
    """`chroma run` on loopback over one directory; can be stopped and started again."""

    def __init__(self, path: Path, log: Path, port: int | None = None) -> None:
        self.path = path
        self.log = log
        self.port = port or free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The address to give REPORTBOT_CHROMA_URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the server and wait until it listens."""
        with self.log.open("a") as log:
            self._proc = subprocess.Popen(
                [CHROMA, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port",
                 str(self.port)], stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self._proc, self.log, timeout=60)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and wait until the port is closed."""
        if self._proc is None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=20)
        self._proc = None
        wait_closed(self.port)


class WebApp:
    """`reportbot serve` as a subprocess with its own environment."""

    def __init__(self, env: dict[str, str], log: Path, port: int | None = None) -> None:
        self.env = env
        self.log = log
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The address for gradio_client."""
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 300) -> None:
        """Start serving (ingesting first if the index is empty) and wait until it listens."""
        with self.log.open("a") as log:
            self.proc = subprocess.Popen([REPORTBOT, "serve", "--port", str(self.port)],
                                         env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.proc, self.log, timeout)

    def stop(self) -> None:
        """Stop serving."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None


def app_env(root: Path, **extra: str) -> dict[str, str]:
    """The environment of an app over root/corpus and root/data, plus extra variables."""
    return {**os.environ, "REPORTBOT_CORPUS_DIR": str(root / "corpus"),
            "REPORTBOT_DATA_DIR": str(root / "data"), "PYTHONUNBUFFERED": "1", **extra}


# A small launcher runs the command and reports its children's peak RSS: measured from the
# test process itself, Linux would count the pages a fork copied from pytest (large late in
# a full run: 800-1,000 MB readings) as the child's peak.
_LAUNCHER = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
             "open(sys.argv[1], 'w').write(str(resource.getrusage("
             "resource.RUSAGE_CHILDREN).ru_maxrss)); sys.exit(code)")


def run_measured(args: list[str], env: dict[str, str], logs: Path) -> tuple[int, str, str, float]:
    """Run a command; its exit code, stdout, stderr and peak RSS in MB (logs: a directory)."""
    rss = logs / "rss"
    with (logs / "out").open("w+") as out, (logs / "err").open("w+") as err:
        proc = subprocess.run([sys.executable, "-c", _LAUNCHER, str(rss), *args], env=env,
                              stdout=out, stderr=err)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), int(rss.read_text()) / 1024  # kB
