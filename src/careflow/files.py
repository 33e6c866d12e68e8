"""Writing outputs so that a failure never leaves a half-written file or folder behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_directory(out: Path) -> Iterator[Path]:
    """Yield a temporary folder beside `out`; on success its files are moved into `out`, else discarded."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        yield stage
        out.mkdir(parents=True, exist_ok=True)
        for item in stage.iterdir():
            target = out / item.name
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(item, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def staged_file(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; it replaces `path` only if the block completes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_output(path: Path, data: bytes) -> Path:
    """Write one rendered output (bytes from a renderer) in one step: the whole file or nothing."""
    with staged_file(path) as stage:
        stage.write_bytes(data)
    return Path(path)


def write_outputs(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write rendered outputs `{file name: bytes}` into `folder` together: all of them or none."""
    with staged_directory(folder) as stage:
        for name, data in files.items():
            (stage / name).write_bytes(data)
    return [Path(folder) / name for name in files]


def rendered_bytes(write: Callable[[Path], object], suffix: str) -> bytes:
    """The bytes a path-writing renderer (openpyxl, python-docx) produces, without leaving a file behind."""
    with tempfile.TemporaryDirectory(prefix="careflow-render-") as folder:
        path = Path(folder) / f"output{suffix}"
        write(path)
        return path.read_bytes()
