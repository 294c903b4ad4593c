"""A child process whose stdout lines are collected as they come, to be killed at a chosen moment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).parent


class Child:
    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, cwd=HERE)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for_lines(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.lines) < count:
            if self.proc.poll() is not None:
                assert self.proc.stderr is not None
                raise AssertionError(f"the child ended early: {self.proc.stderr.read()[-2000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the child printed {len(self.lines)} of {count} lines in {timeout} s")
            time.sleep(0.005)

    def kill(self) -> bool:
        """SIGKILL: no cleanup, no atexit, no flush. Whether it was still running when hit."""
        running = self.proc.poll() is None
        if running:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        self._reader.join(30)
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()
        self.proc.stderr.close()
        return running
