"""Writing outputs so that a failure never leaves a half-written file or folder behind.

Every output goes to a temporary file or folder beside its destination and is renamed into place only
when complete. A destination careflow cannot use (a folder it may not write to, a path under a file, a
file where a folder is wanted, a name the file system refuses) is the user's to fix: it is reported as
an input problem (exit 2) naming the path, not as a fault in careflow.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from careflow.errors import InputError, Problem


def _unusable(out: Path, error: OSError, expected: str) -> InputError:
    reason = error.strerror or type(error).__name__
    return InputError([Problem(str(out), f"an output path careflow cannot use ({reason})", expected)])


def _check_folder_target(out: Path, named: Path) -> None:
    """Refuse a folder path that is a file or lies under a file; `named` is the path the user gave."""
    if out.exists() and not out.is_dir():
        found = "a file, not a folder" if out == named else f"a path under the file {out}"
        raise InputError([Problem(str(named), found, "a folder to write the outputs into (--out)")])
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError([Problem(str(named), f"a path under the file {parent}", "a path under a folder")])
            break


@contextmanager
def staged_directory(out: Path) -> Iterator[Path]:
    """Yield a temporary folder beside `out`; on success its files are moved into `out`, else discarded."""
    out = Path(out)
    expected = "a folder careflow can create or write to (--out)"
    _check_folder_target(out, out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name[:40]}-", dir=out.parent))
    except OSError as error:
        raise _unusable(out, error, expected) from None
    try:
        yield stage
        try:
            out.mkdir(parents=True, exist_ok=True)
            if not os.access(out, os.W_OK):
                raise PermissionError(13, "Permission denied")
            for item in stage.iterdir():
                target = out / item.name
                if target.is_dir():
                    shutil.rmtree(target)
                os.replace(item, target)
        except OSError as error:
            raise _unusable(out, error, expected) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def staged_file(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; it replaces `path` only if the block completes."""
    path = Path(path)
    expected = "a file path in a folder careflow can write to (--out)"
    if path.is_dir():
        raise InputError([Problem(str(path), "a folder, not a file", "a file name to write (--out)")])
    _check_folder_target(path.parent, path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}-", suffix=path.suffix[:20], dir=path.parent)
        os.close(fd)
    except OSError as error:
        raise _unusable(path, error, expected) from None
    try:
        yield Path(tmp)
        try:
            os.replace(tmp, path)
        except OSError as error:
            raise _unusable(path, error, expected) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
