"""The bibliography: one record per source publication, and where in it a cited line sits (page or section)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer


class Anchor(BaseModel):
    """A place in a source text: from this line on, the reader is under this heading (and on this page, if known)."""

    model_config = ConfigDict(frozen=True)
    line: int = Field(ge=1)
    heading: str
    page: int | None = None  # the document's own page marker puts every line up to the next anchor on this page
    first_page: int | None = None  # the section starts on this page (from the document's contents list)


class Record(BaseModel):
    """One publication, cited in words; `document` is the internal file name used only for machine checks."""

    model_config = ConfigDict(frozen=True)
    id: str
    authors: str  # publisher or authors, as printed
    short: str  # how the authors are named in a short citation
    title: str
    short_title: str | None = None
    year: str
    where: str  # where a reader can find it, as printed in or about the document
    note: str = ""
    document: str  # internal file name (machine checks only; never shown to users)
    anchors: tuple[Anchor, ...] = ()

    def cite(self, location: str | None = None) -> str:
        """Short citation in words: 'CCN/ACCE/Newton Europe (2021), *The Future of Adult Social Care*, p. 12'."""
        text = f"{self.short} ({self.year}), *{self.short_title or self.title}*"
        return f"{text}, {location}" if location else text

    def reference(self) -> str:
        """Full entry for a references list."""
        return f"{self.authors} ({self.year}). *{self.title}*. {self.where}."


class _Bibliography(BaseModel):
    records: tuple[Record, ...]


@cache
def records() -> dict[str, Record]:
    """Every record by its key, read from the packaged data file."""
    text = resources.files("careflow.reference").joinpath("data/bibliography.json").read_text(encoding="utf-8")
    return {r.id: r for r in _Bibliography.model_validate_json(text).records}


def record(source_id: str) -> Record:
    try:
        return records()[source_id]
    except KeyError:
        raise KeyError(f"no bibliography record '{source_id}'") from None


def record_for_document(document: str) -> Record | None:
    """The record whose internal file name is `document`, if any."""
    return next((r for r in records().values() if r.document == document), None)


_LINE = re.compile(r"^L(\d+)")


def first_line(line: str | int) -> int | None:
    """The first line number of a machine pinpoint ("L633", "L604-693", 633), or None for pages or cells."""
    if isinstance(line, int):
        return line
    match = _LINE.match(line.strip())
    return int(match.group(1)) if match else None


def locate(document: str, line: str | int) -> str | None:
    """A location a reader can look up for a line of a source text: "p. N" where the document marks the page,
    else the nearest heading above it (with the page its section starts on, when the contents list gives it)."""
    found = record_for_document(document) or records().get(document)
    number = first_line(line)
    if found is None or number is None:
        return None
    above = [a for a in found.anchors if a.line <= number]
    if not above:
        return None
    anchor = above[-1]
    if anchor.page is not None:
        return f"p. {anchor.page}"
    if anchor.first_page is not None:
        return f"{anchor.heading} (section starts p. {anchor.first_page})"
    return anchor.heading


def cite(source: str, line: str | int | None = None, location: str | None = None) -> str:
    """Cite a source in words, by record key or internal file name, at a location or a line resolved to one."""
    found = records().get(source) or record_for_document(source)
    if found is None:  # not a publication in the bibliography (e.g. a council's own file): name it as given
        place = location or (f"L{line}" if isinstance(line, int) else line)
        return f"{source}, {place}" if place else source
    if location is None and line is not None:
        # several pinpoints ("L490; L635") become each distinct place, in order
        places = [locate(found.document, part) for part in str(line).split(";")] if isinstance(line, str) else []
        places = places or [locate(found.document, line)]
        location = "; ".join(dict.fromkeys(p for p in places if p)) or None
    return found.cite(location)


def references(keys: list[str] | set[str]) -> list[str]:
    """Full entries for a references list, in author order, each once."""
    chosen = {records()[k] for k in keys if k in records()}
    return [r.reference() for r in sorted(chosen, key=lambda r: (r.authors, r.year, r.title))]


def references_for(text: str) -> list[str]:
    """The references list for a text: every record it cites in words."""
    return references({r.id for r in cited_in(text)})


def cited_in(text: str) -> list[Record]:
    """The records a text cites in words, as `cite` writes them (plain, or as HTML with the title in <em>)."""
    import html

    found = []
    for r in records().values():
        lead, title = f"{r.short} ({r.year}), ", r.short_title or r.title
        plain = f"{lead}*{title}*"
        if plain in text or f"{html.escape(lead)}<em>{html.escape(title)}</em>" in text:
            found.append(r)
    return sorted(found, key=lambda r: (r.authors, r.year, r.title))


def _file_name(value: object) -> object:
    """A record id read back (from JSON, a sources sheet, a stored result) becomes the record's file name again."""
    return records()[value].document if isinstance(value, str) and value in records() else value


def record_id(document: str) -> str:
    """The bibliography record id of a source file; a file that is not a publication (a council's own) as given."""
    found = record_for_document(document)
    return found.id if found else document


# A source document: held as its file name (for machine checks against the text), written in JSON as the
# publication's bibliography record id, so no output names an internal file. Either form is read.
SourceDocument = Annotated[
    str, BeforeValidator(_file_name), PlainSerializer(record_id, return_type=str, when_used="json")
]
