"""Checks on uploaded files before any reader sees them: size, type by content, and zip bombs posing as .xlsx."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from careflow.errors import InputError, Problem

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a council baseline workbook is ~100 KB; 5 MB leaves room for notes sheets
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # what the .xlsx may expand to when opened
MAX_RATIO = 100  # deflate rarely exceeds 20:1 on real workbooks; bombs reach thousands
ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
YAML_SUFFIXES = (".yaml", ".yml", ".json")
REVIEW_SUFFIXES = (".xlsx", ".csv")


def display_name(file_name: str | None) -> str:
    """The file's own name without any folder part (no path traversal into messages or storage)."""
    name = PurePath((file_name or "upload").replace("\\", "/")).name.strip() or "upload"
    return "".join(ch for ch in name if ch.isprintable())[:120]


def check_upload(content: bytes, file_name: str, suffixes: tuple[str, ...]) -> None:
    """Raise a located problem if the upload is empty, too large, of the wrong type, or a zip that would explode."""
    suffix = PurePath(file_name).suffix.lower()
    if not content:
        raise InputError([Problem(file_name, "an empty file", "a file with content")])
    if len(content) > MAX_UPLOAD_BYTES:
        raise InputError([Problem(file_name, f"{len(content):,} bytes", f"at most {MAX_UPLOAD_BYTES:,} bytes (5 MB)")])
    if suffix not in suffixes:
        raise InputError(
            [Problem(file_name, f"a file of type '{suffix or 'unknown'}'", "one of " + ", ".join(suffixes))]
        )
    if suffix in WORKBOOK_SUFFIXES:
        _check_workbook(content, file_name)
    else:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError([Problem(file_name, "binary or non-UTF-8 content", "a UTF-8 text file")]) from None


def _check_workbook(content: bytes, file_name: str) -> None:
    if not content.startswith(ZIP_MAGIC):
        raise InputError([Problem(file_name, "content that is not an Excel workbook", "an .xlsx file saved by Excel")])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise InputError([Problem(file_name, "a damaged .xlsx (not a readable zip)", "an .xlsx file")]) from None
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names:
        raise InputError([Problem(file_name, "a zip file that is not a workbook", "an .xlsx file saved by Excel")])
    unpacked = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise InputError(
            [
                Problem(
                    file_name,
                    f"a workbook that expands to {unpacked:,} bytes ({unpacked / packed:,.0f}× its size)",
                    f"at most {MAX_UNPACKED_BYTES:,} bytes unpacked and {MAX_RATIO}× compression",
                )
            ]
        )
