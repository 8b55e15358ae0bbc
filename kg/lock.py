"""One writer per output folder: an exclusive lock (fcntl.flock) on DIR/.kg.lock.

`kg build` and `kg remove` hold it from reading the folder's manifest to writing
its last file, so two runs on one folder never interleave: the second waits
up to `--wait` (or $KG_LOCK_WAIT) seconds (default 0) for the first, then stops with
FolderLockedError naming the holder. The lock belongs to the kernel: it goes
when the holding process ends, however it ends (SIGKILL included), so a crashed
build never leaves a folder locked. The file itself stays (deleting it would let
two processes lock two different files); it records the holder's pid and command.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from kg.errors import FolderLockedError, SettingError

log = logging.getLogger(__name__)

LOCK_FILE = ".kg.lock"
WAIT_ENV = "KG_LOCK_WAIT"
POLL_SECONDS = 0.1


def wait_setting() -> float:
    """Seconds to wait for another writer: $KG_LOCK_WAIT, or 0 (refuse at once)."""
    raw = os.environ.get(WAIT_ENV, "").strip()
    if not raw:
        return 0.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise SettingError(f"{WAIT_ENV}={raw!r}: expected a number of seconds (0 or more)")
    return seconds


def _holder(path: Path) -> str:
    """What the lock file says about its holder, for a message ('' when it says nothing)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()[:300]
    except OSError:
        return ""


@contextlib.contextmanager
def hold(folder: Path | None, *, wait: float | None = None) -> Iterator[None]:
    """Hold the write lock of `folder` (created if missing) for the block; no-op for None.

    Waits up to `wait` seconds (default: `wait_setting()`) while another process
    holds it, then raises FolderLockedError naming the folder and the holder.
    """
    if folder is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        _acquire(fd, path, folder, wait_setting() if wait is None else wait)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}: {' '.join(sys.argv)[:200]}\n".encode())
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, folder: Path, wait: float) -> None:
    """Take the exclusive lock on `fd`, polling until `wait` seconds have passed."""
    deadline = time.monotonic() + wait
    announced = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = _holder(path) or "another process"
        if time.monotonic() >= deadline:
            advice = ("wait for it to finish and run again" if wait == 0 else
                      f"waited {wait:g} s; try again when it has finished")
            raise FolderLockedError(
                f"{folder} is being written by another kg process ({holder}); {advice} "
                f"(give --wait SECONDS, or set {WAIT_ENV}=SECONDS, to wait for it)") from None
        if not announced:
            log.warning("%s is being written by another kg process (%s); waiting up to %g s",
                        folder, holder, wait)
            announced = True
        time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
