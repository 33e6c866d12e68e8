"""The Word committee paper: A4 portrait, landscape pages for wide tables, repeated headers, whole rows,
right-aligned figures, captioned chart images, and the council's house style from a small YAML file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm

from careflow.errors import InputError
from careflow.finance.report import render_docx
from careflow.finance.tables import FinanceReport
from careflow.report.word import load_style


@pytest.fixture(scope="module")
def paper(norfolk_report: FinanceReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("paper")
    logo = folder / "logo.png"
    from careflow.report.charts import figure, to_png

    logo.write_bytes(to_png(figure(2, 1)[0], dpi=50))
    (folder / "style.yaml").write_text('council: Norfolk County Council\nlogo: logo.png\nprimary_colour: "00573F"\n')
    path = folder / "paper.docx"
    render_docx(norfolk_report, path, load_style(folder / "style.yaml"))
    return path


def test_a4_portrait_with_landscape_sections_for_wide_tables(paper: Path) -> None:
    sections = Document(str(paper)).sections
    first = sections[0]
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert abs(first.page_width - Cm(21.0)) < Cm(0.1) and abs(first.page_height - Cm(29.7)) < Cm(0.1)
    landscape = [s for s in sections if s.orientation == WD_ORIENT.LANDSCAPE]
    assert landscape and all(s.page_width > s.page_height for s in landscape)
    assert any(s.orientation == WD_ORIENT.PORTRAIT for s in sections[1:])  # back to portrait after wide tables


def test_tables_repeat_headers_keep_rows_whole_and_right_align_figures(paper: Path) -> None:
    document = Document(str(paper))
    summary = document.tables[0]
    assert summary.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in summary.rows[1:])
    budget = summary.rows[1].cells[3].paragraphs[0]
    assert budget.text.strip() and budget.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert summary.rows[1].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    shading = summary.rows[0].cells[0]._tc.tcPr.find(qn("w:shd"))
    assert shading.get(qn("w:fill")) == "00573F"  # the house style's colour


def test_charts_are_captioned_images_and_the_council_heads_each_page(paper: Path) -> None:
    document = Document(str(paper))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[0] == "Figure 1: Forecast variance by area (£m)" and len(captions) == 3
    assert len(document.inline_shapes) == 4  # the logo and three charts
    assert document.sections[0].header.paragraphs[0].text == "Norfolk County Council"
    descriptions = [d.get("descr") for d in document.element.body.iter(qn("wp:docPr"))]
    assert "Forecast variance by area (£m)" in descriptions


def test_a_bad_style_file_is_a_located_problem(tmp_path: Path) -> None:
    style = tmp_path / "style.yaml"
    style.write_text("primary_colour: green\nlogo: missing.png\n")
    with pytest.raises(InputError) as caught:
        load_style(style)
    assert "primary_colour" in caught.value.problems[0].found


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_it_as_a4_pages(paper: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(paper)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "paper.pdf").read_bytes()
    assert b"MediaBox[0 0 595.30" in pdf  # A4 portrait pages (points)
    assert b"MediaBox[0 0 841.88" in pdf  # and landscape ones
