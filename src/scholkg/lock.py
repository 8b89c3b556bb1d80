"""A lock file beside the database, so that processes sharing a store never meet RocksDB's raw
lock error, and no reader opens the store while a writer changes it (which RocksDB leaves
undefined).

Writers hold the lock exclusively, readers share it. A process that cannot get it is told who
holds it, or waits up to ``wait`` seconds.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from .errors import StoreError

LOCK_FILE = "scholkg.lock"


class StoreLock:
    def __init__(self, folder: Path, *, exclusive: bool, wait: float = 0.0, what: str = ""):
        self.folder = folder
        self.exclusive = exclusive
        self.wait = wait
        self.what = what or ("writing" if exclusive else "reading")
        self._fd: int | None = None

    def acquire(self) -> StoreLock:
        path = self.folder / LOCK_FILE
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        mode = fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(fd)
                    os.close(fd)
                    waited = f" (waited {self.wait:g} s)" if self.wait else ""
                    raise StoreError(
                        f'store "{self.folder}" is in use by {holder}{waited}; wait until it '
                        "finishes, or pass --wait SECONDS to wait for it.") from None
                time.sleep(0.1)
        if self.exclusive:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {self.what}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        if self.exclusive:
            os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    except OSError:
        text = []
    if text and text[0].isdigit():
        return f"process {text[0]} ({' '.join(text[1:]) or 'writing'})"
    return "another process (reading)"
