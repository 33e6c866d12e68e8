"""Inputs as any front end has them: a built-in name, a path, or uploaded bytes with the name the user knows."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from pydantic import BaseModel, ConfigDict

from careflow.errors import InputError, Problem

T = TypeVar("T")


class Upload(BaseModel):
    """A file given as bytes (a web upload) with its display name; problems name the display name, not a temp path."""

    model_config = ConfigDict(frozen=True)
    name: str
    data: bytes

    @classmethod
    def from_file(cls, handle: BinaryIO, name: str) -> Upload:
        return cls(name=name, data=handle.read())


Source = str | Path | Upload


class RenderedFile(BaseModel):
    """One output a renderer produced: its file name and bytes (written by `careflow.files.write_outputs`)."""

    name: str
    data: bytes


class LocatedProblem(BaseModel):
    """A problem (or a plausibility warning) for machines: each part of where it is in its own field."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    found: str
    expected: str
    where: str

    @classmethod
    def of(cls, problem: Problem) -> LocatedProblem:
        return cls.model_validate(problem.as_dict())

    def location(self) -> str:
        return self.where


class Validation(BaseModel):
    """What `validate --json` prints: whether the input passed, every located problem, and warnings."""

    valid: bool = True
    problems: list[LocatedProblem] = []
    warnings: list[LocatedProblem] = []

    @classmethod
    def failed(cls, problems: list[Problem]) -> Any:
        """The result for an input that did not pass: every problem, and nothing else known about it."""
        return cls.model_construct(valid=False, problems=[LocatedProblem.of(p) for p in problems], warnings=[])


def display_name(source: Source) -> str:
    return source.name if isinstance(source, Upload) else str(source)


@contextmanager
def _materialised(upload: Upload) -> Iterator[Path]:
    # The readers dispatch on suffix and read with openpyxl/csv; a private folder keeps the upload's own file name.
    folder = Path(tempfile.mkdtemp(prefix="careflow-upload-"))
    try:
        path = folder / (Path(upload.name).name or "upload")
        path.write_bytes(upload.data)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _relabel(problems: list[Problem], temporary: str, name: str) -> list[Problem]:
    return [replace(p, file=p.file.replace(temporary, name)) if temporary in p.file else p for p in problems]


def read_source(source: Source, reader: Callable[[Path], T]) -> T:
    """Run a path-based reader on a path or an upload; an upload's problems are located by its display name."""
    if not isinstance(source, Upload):
        return reader(Path(source))
    with _materialised(source) as path:
        try:
            return reader(path)
        except InputError as error:
            raise InputError(_relabel(error.problems, str(path), source.name)) from None


def check_output_name(name: str, suffixes: tuple[str, ...]) -> str:
    """The output's suffix if it is one careflow can write, else a located problem."""
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        raise InputError([Problem(name, f"an output of type '{suffix}'", "a file ending " + " or ".join(suffixes))])
    return suffix
