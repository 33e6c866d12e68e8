"""Writing outputs: never half-written, never over an existing file unless asked (--force), readable as the umask allows.

Every output goes to a temporary file or folder beside its destination and is renamed into place only
when complete. A destination careflow cannot use (a folder it may not write to, a path under a file, a
file where a folder is wanted, a name the file system refuses) is the user's to fix: it is reported as
an input problem (exit 2) naming the path, not as a fault in careflow.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from careflow.errors import InputError, Problem

FORCE_HELP = "Replace output files that already exist"


def _umask() -> int:
    mask = os.umask(0)  # the only way to read the umask is to set it; put it straight back
    os.umask(mask)
    return mask


def publish(staged: Path, target: Path, force: bool) -> None:
    """Move a finished file into place: refuse to replace an existing one without `force`; give it the
    permissions a newly created file gets under the user's umask (temporary files are created 0600)."""
    refuse_existing(target, force)
    if target.is_dir():
        shutil.rmtree(target)
    if staged.is_file():
        os.chmod(staged, 0o666 & ~_umask())
    os.replace(staged, target)


def refuse_existing(path: Path, force: bool) -> None:
    """Stop before any work when the one output file already exists (the same rule `publish` applies)."""
    if Path(path).exists() and not force:
        raise InputError([_already_there(Path(path))])


def refuse_existing_outputs(folder: Path, names: Iterable[str], force: bool) -> None:
    """Stop before any work when outputs to be written into `folder` already exist; the first ten are listed, as
    an import of every council into last year's folder would otherwise list a hundred and fifty."""
    existing = [Path(folder) / name for name in names if (Path(folder) / name).exists()]
    if existing and not force:
        raise InputError(
            [
                Problem(str(p), "a file that already exists", "a new file name, or --force to replace it")
                for p in existing[:10]
            ]
        )


def _already_there(path: Path) -> Problem:
    return Problem(str(path), "a file that already exists", "a new name, or --force to replace it")


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


FOLDER_EXPECTED = "a folder careflow can create or write to (--out)"


def usable_folder(out: Path | None) -> Path | None:
    """Refuse an --out folder careflow cannot write to before any work is done (an option callback), so a typing
    slip costs a second, not a rendered committee paper. The same checks run again when the files are written."""
    if out is None:
        return None
    _check_folder_target(out, out)
    nearest = next(p for p in (out, *out.parents) if p.exists())
    try:  # the only sure test of "may I create things here?" is to try, and tidy up
        os.rmdir(tempfile.mkdtemp(prefix=".careflow-check-", dir=nearest))
    except OSError as error:
        raise _unusable(out, error, FOLDER_EXPECTED) from None
    return out


@contextmanager
def staged_directory(out: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside `out`; on success its files are moved into `out`, else discarded.

    Without `force`, nothing is moved if any file the block wrote already exists in `out`."""
    out = Path(out)
    expected = FOLDER_EXPECTED
    _check_folder_target(out, out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name[:40]}-", dir=out.parent))
    except OSError as error:
        raise _unusable(out, error, expected) from None
    try:
        yield stage
        existing = [out / item.name for item in stage.iterdir() if (out / item.name).exists()]
        if existing and not force:
            raise InputError([_already_there(p) for p in existing])
        try:
            out.mkdir(parents=True, exist_ok=True)
            if not os.access(out, os.W_OK):
                raise PermissionError(13, "Permission denied")
            for item in stage.iterdir():
                publish(item, out / item.name, force=True)
        except OSError as error:
            raise _unusable(out, error, expected) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def staged_file(path: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `path`; it replaces `path` only if the block completes (and, if `path`
    exists, only with `force`: the check is made before the block runs, so no work is wasted)."""
    path = Path(path)
    expected = "a file path in a folder careflow can write to (--out)"
    if path.is_dir():
        raise InputError([Problem(str(path), "a folder, not a file", "a file name to write (--out)")])
    _check_folder_target(path.parent, path)
    refuse_existing(path, force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}-", suffix=path.suffix[:20], dir=path.parent)
        os.close(fd)
    except OSError as error:
        raise _unusable(path, error, expected) from None
    try:
        yield Path(tmp)
        try:
            publish(Path(tmp), path, force)
        except OSError as error:
            raise _unusable(path, error, expected) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_output(path: Path, data: bytes, force: bool = False) -> Path:
    """Write one rendered output (bytes from a renderer) in one step: the whole file or nothing."""
    with staged_file(path, force) as stage:
        stage.write_bytes(data)
    return Path(path)


def write_outputs(folder: Path, files: Mapping[str, bytes], force: bool = False) -> list[Path]:
    """Write rendered outputs `{file name: bytes}` into `folder` together: all of them or none."""
    with staged_directory(folder, force) as stage:
        for name, data in files.items():
            (stage / name).write_bytes(data)
    return [Path(folder) / name for name in files]


def rendered_bytes(write: Callable[[Path], object], suffix: str) -> bytes:
    """The bytes a path-writing renderer (openpyxl, python-docx) produces, without leaving a file behind."""
    with tempfile.TemporaryDirectory(prefix="careflow-render-") as folder:
        path = Path(folder) / f"output{suffix}"
        write(path)
        return path.read_bytes()
