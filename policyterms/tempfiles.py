"""Output files written whole or not at all.

Each file is written to a hidden temporary file beside it (``.NAME.PID.XXXX.tmp``) and renamed
over it only when everything was written; for ``-o DIR/`` every table's file is written first
and all are renamed at the end, so the directory never holds tables from two runs. A failure
(a full disk, no permission) is a ``WriteError`` naming the file and the cause, and removes
the temporary files; so does SIGTERM (the CLI turns it into an exit). A run killed by SIGKILL
cannot clean up: the next run that writes into the directory removes the temporary files of
processes that no longer exist.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import WriteError

_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


class StagedFiles:
    """Temporary files for several targets, renamed over them together by ``commit``."""

    def __init__(self) -> None:
        self._staged: list[tuple[str, Path]] = []  # (temporary name, target)

    @contextlib.contextmanager
    def open(self, target: Path, *, binary: bool = False) -> Iterator[IO]:
        target = Path(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(target)
            fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp")
        except OSError as exc:
            raise write_error(target, exc) from None
        self._staged.append((temp_name, target))
        try:
            with io.open(fd, "wb") if binary else io.open(fd, "w", encoding="utf-8", newline="") as handle:
                yield handle
            os.chmod(temp_name, 0o666 & ~_current_umask())  # mkstemp creates 0600; a result file is not secret
        except OSError as exc:
            raise write_error(target, exc) from None

    def commit(self) -> None:
        for temp_name, target in self._staged:
            try:
                os.replace(temp_name, target)
            except OSError as exc:
                raise write_error(target, exc) from None
        self._staged.clear()

    def discard(self) -> None:
        for temp_name, _ in self._staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
        self._staged.clear()


@contextlib.contextmanager
def staged_files() -> Iterator[StagedFiles]:
    """Files opened with ``staged.open`` replace their targets all at the end, or none do."""
    staged = StagedFiles()
    try:
        yield staged
        staged.commit()
    finally:
        staged.discard()  # after a commit there is nothing left to discard


def write_error(target: Path, exc: OSError) -> WriteError:
    return WriteError(f"cannot write {target}: {exc.strerror or exc}")


def remove_stale(target: Path) -> None:
    """Remove the temporary files beside ``target`` left by runs that were killed (their
    process is gone); those of a run still writing are left alone."""
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        match = _TEMP_NAME.match(name)
        if match and match["name"] == target.name and not _process_exists(int(match["pid"])):
            with contextlib.suppress(OSError):
                os.unlink(target.parent / name)


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's
        return True
    return True


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
