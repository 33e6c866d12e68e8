"""A self-contained, printable HTML page: inline CSS and SVG only, nothing fetched from anywhere."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, select_autoescape

from careflow.report.svg import with_text_alternative

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:2rem auto;max-width:1100px;
color:#1d1d1d;line-height:1.45;padding:0 1rem}
h1{font-size:1.7rem;border-bottom:3px solid #1f5f8b;padding-bottom:.3rem}
h2{font-size:1.3rem;margin-top:2.2rem;color:#1f5f8b}
h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.88rem;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}
th{background:#eef3f7;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:bold;border-top:2px solid #333}
.note{color:#555;font-size:.88rem}
.flag{color:#9a3412;font-weight:bold}
.banner{background:#fff4e5;border-left:4px solid #e07b39;padding:.6rem 1rem;margin:1rem 0}
.summary{background:#f3f7fa;border-left:4px solid #1f5f8b;padding:.8rem 1.2rem;margin:1rem 0}
.rag-green{background:#d9f2dd}.rag-amber{background:#fdebc8}.rag-red{background:#f8d4d4}
figure{margin:1rem 0}figcaption{font-size:.85rem;color:#555}
.toc{background:#f7f7f7;border:1px solid #ddd;padding:.4rem 1.2rem;margin:1rem 0}.toc h2{margin-top:.4rem}
.toc ol{columns:2;margin:.3rem 0}.back{font-size:.8rem;text-align:right}
@media print{.toc,.back{display:none}}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}table,figure{page-break-inside:avoid}}
"""

TOC_FROM = 4  # pages with this many sections get a table of contents and "back to contents" links

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ title }}</title><style>{{ style }}</style></head>
<body>
<h1>{{ title }}</h1>
{% if subtitle %}<p class="note">{{ subtitle | safe }}</p>{% endif %}
{% if banner %}<div class="banner">{{ banner | safe }}</div>{% endif %}
{% if sections | length >= TOC_FROM %}
<nav id="contents" class="toc" aria-label="Contents"><h2>Contents</h2><ol>
{% for section in sections %}<li><a href="#{{ section.anchor }}">{{ section.heading }}</a></li>{% endfor %}
</ol></nav>
{% endif %}
{% for section in sections %}
<section id="{{ section.anchor }}">
<h2>{{ section.heading }}</h2>
{{ section.body | safe }}
{% if sections | length >= TOC_FROM %}<p class="back"><a href="#contents">Back to contents</a></p>{% endif %}
</section>
{% endfor %}
<p class="note">Produced by careflow {{ version }}.</p>
</body></html>
"""


@dataclass
class Section:
    heading: str
    body: str  # already-safe HTML (built with `table`, `paragraphs`, chart SVG)
    anchor: str = field(default="")

    def __post_init__(self) -> None:
        if not self.anchor:
            self.anchor = "".join(ch if ch.isalnum() else "-" for ch in self.heading.lower()).strip("-")


_STRONG = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")
_EM = re.compile(r"(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])")


def escape(text: Any) -> str:
    """Escape for HTML, turning the inline emphasis our texts use (*title*, **figure**) into tags, never raw asterisks."""
    escaped = html.escape(str(text))
    return _EM.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", escaped))


def paragraphs(*texts: str, css: str = "") -> str:
    cls = f' class="{escape(css)}"' if css else ""
    return "".join(f"<p{cls}>{escape(t)}</p>" for t in texts)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    numeric: Sequence[int] = (),
    total_rows: Sequence[int] = (),
    row_classes: Sequence[str] | None = None,
) -> str:
    """An HTML table; `numeric` are column indexes to right-align, `total_rows` row indexes to embolden."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for r, row in enumerate(rows):
        classes = []
        if r in total_rows:
            classes.append("total")
        if row_classes and row_classes[r]:
            classes.append(row_classes[r])
        cls = f' class="{escape(" ".join(classes))}"' if classes else ""
        cells = "".join(
            f'<td class="num">{escape(v)}</td>' if i in numeric else f"<td>{escape(v)}</td>" for i, v in enumerate(row)
        )
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def chart(svg: str, caption: str, alt: str = "") -> str:
    """A chart with its caption; every chart gets a text alternative (its figures if given, else the caption)."""
    return f"<figure>{with_text_alternative(svg, alt or caption)}<figcaption>{escape(caption)}</figcaption></figure>"


def render_page(title: str, sections: Sequence[Section], subtitle: str = "", banner: str = "") -> str:
    from careflow import __version__
    from careflow.reference.bibliography import references_for

    cited = references_for(" ".join([subtitle, banner, *(section.body for section in sections)]))
    if cited:  # every page that cites a publication ends with the full references
        sections = [
            *sections,
            Section("References", "<ol>" + "".join(f"<li>{escape(r)}</li>" for r in cited) + "</ol>"),
        ]
    env = Environment(autoescape=select_autoescape(default=True))
    return env.from_string(PAGE).render(
        title=title,
        subtitle=escape(subtitle),  # escaped here, with emphasis as tags (a citation's *title*)
        banner=escape(banner),
        sections=sections,
        style=STYLE,
        version=__version__,
        TOC_FROM=TOC_FROM,
    )
