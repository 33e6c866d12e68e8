"""Renderers shared by every report: self-contained HTML pages, inline SVG charts, Excel and Word output."""
