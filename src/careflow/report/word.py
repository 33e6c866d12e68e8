"""Committee papers in Word: A4 portrait, landscape sections for wide tables, the council's name and colours.

A house style comes from a small YAML file (`--style`): the council's name, an optional logo and two
colours. Tables repeat their header row on every page, never split a row across pages, and right-align
figures; charts are PNG images with numbered captions. python-docx writes the file; LibreOffice and Word
read it the same way (checked by converting to PDF).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from careflow.errors import InputError, Problem

WIDE_COLUMNS = 7  # tables with more columns than this get a landscape page
HEX = re.compile(r"^#?[0-9A-Fa-f]{6}$")


def column_weights(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[float]:
    """Share the page by content: figures keep to one line, long text wraps within a fair share."""
    weights = []
    for i, header in enumerate(headers):
        longest_word = max((len(word) for word in header.split()), default=0)
        longest_value = max((len(row[i]) for row in rows), default=0)
        weights.append(float(min(max(longest_word, longest_value, 5), 32) + 3))  # + cell padding
    return weights


def is_wide(headers: Sequence[str]) -> bool:
    return len(headers) > WIDE_COLUMNS


class HouseStyle(BaseModel):
    """What a council may set for its papers; everything is optional."""

    model_config = ConfigDict(extra="forbid")
    council: str | None = None
    logo: Path | None = None
    primary_colour: str = Field(default="1F5F8B", description="headings and table headers, as hex RRGGBB")
    accent_colour: str = Field(default="E07B39", description="rules and highlights, as hex RRGGBB")
    font: str = "Arial"

    @field_validator("primary_colour", "accent_colour")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not HEX.match(value):
            raise ValueError("a colour as six hex digits, e.g. 1F5F8B")
        return value.lstrip("#").upper()


def load_style(path: Path | None) -> HouseStyle:
    """Read a style file (YAML); a logo path is taken relative to the file. No file: careflow's defaults."""
    if path is None:
        return HouseStyle()
    from careflow.scenario import load_yaml_document, problems_from_validation

    data = load_yaml_document(path)
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), f"a {type(data).__name__}", "a mapping such as 'council: Norfolk'")])
    try:
        style = HouseStyle.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation(str(path), error)) from None
    if style.logo is not None:
        logo = style.logo if style.logo.is_absolute() else Path(path).parent / style.logo
        if not logo.is_file() or logo.suffix.lower() not in (".png", ".jpg", ".jpeg", ".gif", ".bmp"):
            raise InputError([Problem(str(path), f"logo '{style.logo}'", "a PNG or JPEG file beside the style file")])
        style = style.model_copy(update={"logo": logo})
    return style


class CommitteePaper:
    """A Word document built section by section: headings, paragraphs, tables and figures."""

    def __init__(self, title: str, subtitle: str, style: HouseStyle | None = None) -> None:
        from docx import Document
        from docx.shared import Cm, Pt, RGBColor

        self.style = style or HouseStyle()
        self.doc = Document()
        self.figures = 0
        self._landscape = False
        normal = self.doc.styles["Normal"]
        normal.font.name = self.style.font
        normal.font.size = Pt(10)
        colour = RGBColor.from_string(self.style.primary_colour)
        for name in ("Title", "Heading 1", "Heading 2"):
            self.doc.styles[name].font.color.rgb = colour
            self.doc.styles[name].font.name = self.style.font
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4, whatever python-docx's default
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.0))
        self._header_footer(section)
        if self.style.logo is not None:
            self.doc.add_picture(str(self.style.logo), height=Cm(1.8))
        self.doc.add_heading(title, 0)
        self.paragraph(subtitle)

    # -- page layout ---------------------------------------------------------------------------------------

    def _header_footer(self, section: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        header = section.header.paragraphs[0]
        header.text = self.style.council or ""
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Page ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")

    def _orientation(self, landscape: bool) -> None:
        """Start a new section when the orientation changes (a wide table gets a landscape page)."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        if landscape == self._landscape:
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        short, long = sorted((section.page_width, section.page_height))
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        self._landscape = landscape

    # -- content -------------------------------------------------------------------------------------------

    def heading(self, text: str, level: int = 1, wide: bool | None = None) -> None:
        """A heading kept with what follows; `wide` turns the page first, so the heading goes with its table."""
        if wide is not None:
            self._orientation(wide)
        self.doc.add_heading(text, level).paragraph_format.keep_with_next = True

    def paragraph(self, text: str, italic: bool = False) -> None:
        run = self.doc.add_paragraph().add_run(text)
        run.italic = italic

    def table(
        self,
        title: str | None,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        numeric: Sequence[int] = (),
        bold_rows: Sequence[int] = (),
        fills: dict[int, str] | None = None,
        note: str = "",
    ) -> None:
        """A table that reads well on paper: header repeated on each page, rows kept whole, figures right-aligned."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt, RGBColor

        if title:
            self.heading(title, 2, wide=is_wide(headers))
        else:
            self._orientation(is_wide(headers))
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        weights = column_weights(headers, rows)
        usable = (25.7 if self._landscape else 17.0) / sum(weights)
        size = Pt(8 if len(headers) > 4 else 9)
        header_row = table.rows[0]
        _repeat_header(header_row)
        for column, weight in zip(table.columns, weights, strict=True):
            column.width = Cm(usable * weight)  # the grid LibreOffice reads
            for cell in column.cells:
                cell.width = Cm(usable * weight)
        for i, (cell, text) in enumerate(zip(header_row.cells, headers, strict=True)):
            cell.text = text
            _shade(cell, self.style.primary_colour)
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if i in numeric else WD_ALIGN_PARAGRAPH.LEFT
            for run in paragraph.runs:
                run.bold, run.font.size = True, size
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        # Setting each property through python-docx costs about 1.5 ms a cell (2.5 s of a committee paper's 5 s).
        # Cells that look alike are formatted once; the rest take copies of that cell's properties.
        formatted: dict[tuple[int, bool, bool, str | None], Any] = {}
        for n, values in enumerate(rows):
            row = table.add_row()
            _keep_row_whole(row)
            for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
                cell.text = text
                fill = fills.get(n) if fills else None
                look = (i, n in bold_rows, n < len(rows) - 1 and len(rows) <= 12, fill)
                if look in formatted:
                    _copy_format(formatted[look], cell._tc)
                    continue
                cell.width = Cm(usable * weights[i])
                paragraph = cell.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if i in numeric else WD_ALIGN_PARAGRAPH.LEFT
                paragraph.paragraph_format.keep_with_next = look[2]
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = size
                    run.bold = look[1]
                if fill:
                    _shade(cell, fill)
                formatted[look] = cell._tc
        if note:
            self.paragraph(note, italic=True)

    def figure(self, png: bytes, caption: str, width_cm: float = 16.0) -> None:
        """A chart as an image with a numbered caption beneath (and the caption as its text alternative)."""
        import io

        from docx.shared import Cm

        self.figures += 1
        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
        picture = self.doc.paragraphs[-1]
        picture.paragraph_format.keep_with_next = True
        doc_pr = picture._p.xpath(".//wp:docPr")
        if doc_pr:
            doc_pr[0].set("descr", caption)  # Word's alt text
        self.doc.add_paragraph(f"Figure {self.figures}: {caption}", style="Caption")

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


def _copy_format(model: Any, tc: Any) -> None:
    """Give a cell holding one run the cell, paragraph and run properties of a model cell formatted the same way."""
    from copy import deepcopy

    from docx.oxml.ns import qn

    tc.remove(tc.find(qn("w:tcPr")))  # the width a new row's cell is given, which the model's properties include
    tc.insert(0, deepcopy(model.find(qn("w:tcPr"))))
    model_p, p = model.find(qn("w:p")), tc.find(qn("w:p"))
    p.insert(0, deepcopy(model_p.find(qn("w:pPr"))))
    model_r = model_p.find(qn("w:r"))
    for r in p.findall(qn("w:r")):
        r.insert(0, deepcopy(model_r.find(qn("w:rPr"))))


def _field(paragraph: Any, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_property(row: Any, name: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _repeat_header(row: Any) -> None:
    _row_property(row, "w:tblHeader")


def _keep_row_whole(row: Any) -> None:
    _row_property(row, "w:cantSplit")
