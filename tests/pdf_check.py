"""Reading a 公文 PDF back: text, fonts and geometry, measured against GB/T 9704-2012.

The tests render a document, then measure what a reader would: where every
glyph and every rule lies (pdfplumber, in millimetres from the top-left corner
of the page), which fonts the glyphs use and whether they are embedded (pypdf).
``python -m tests.pdf_check FILE.pdf`` prints the measurements.
"""

from __future__ import annotations

import io
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

MM = 72 / 25.4
CORE_LEFT, CORE_TOP, CORE_RIGHT, CORE_BOTTOM = 28.0, 37.0, 184.0, 262.0  # mm, from top-left
LINE_MM = 225 / 22
TOLERANCE = 2.0  # mm
PAGE_NUMBER = re.compile(r"^— \d+ —$")


@dataclass
class Glyph:
    text: str
    font: str  # family, without the subset prefix
    size: float
    x0: float  # mm
    x1: float
    top: float
    bottom: float
    color: tuple


@dataclass
class Page:
    number: int
    glyphs: list[Glyph]
    shapes: list[tuple[float, float, float, float]]  # x0, top, x1, bottom of rules, cells, charts
    page_number: list[Glyph] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)

    def body_rows(self, size: float = 16) -> list[int]:
        """Grid rows (0..21) that hold text of ``size`` pt; ValueError when one is off the grid."""
        rows = set()
        for g in self.glyphs:
            if abs(g.size - size) > 0.1:
                continue
            centre = (g.top + g.bottom) / 2 - CORE_TOP
            row = centre / LINE_MM - 0.5
            if abs(row - round(row)) > 0.08:
                raise ValueError(f"page {self.number}: {g.text!r} off the line grid ({row:.2f})")
            rows.add(round(row))
        return sorted(rows)


def plain_text(pdf: bytes) -> str:
    """The text as pypdf extracts it, without whitespace (CJK wraps anywhere) or page numbers."""
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    return re.sub(r"—\d+—", "", text)


def family(font_name: str) -> str:
    name = font_name.split("+", 1)[-1]
    return re.sub(r"-\d+$", "", name)


def read(pdf: bytes) -> list[Page]:
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            glyphs = [
                Glyph(
                    c["text"],
                    family(c["fontname"]),
                    round(c["size"], 2),
                    c["x0"] / MM,
                    c["x1"] / MM,
                    c["top"] / MM,
                    c["bottom"] / MM,
                    tuple(c.get("non_stroking_color") or ()),
                )
                for c in page.chars
            ]
            shapes = [
                (o["x0"] / MM, o["top"] / MM, o["x1"] / MM, o["bottom"] / MM)
                for o in (*page.lines, *page.rects, *page.curves)
            ]
            numbers = [g for g in glyphs if g.top > CORE_BOTTOM]
            body = [g for g in glyphs if g.top <= CORE_BOTTOM]
            pages.append(Page(page.page_number, body, shapes, numbers))
    return pages


def outside_core(pages: list[Page], tolerance: float = TOLERANCE) -> list[str]:
    """Everything (but the page numbers) that leaves the version core by more than tolerance."""
    out = []
    for page in pages:
        for g in page.glyphs:
            if (
                g.x0 < CORE_LEFT - tolerance
                or g.x1 > CORE_RIGHT + tolerance
                or g.top < CORE_TOP - tolerance
                or g.bottom > CORE_BOTTOM + tolerance
            ):
                out.append(f"page {page.number}: {g.text!r} at x {g.x0:.1f}-{g.x1:.1f} mm")
        for x0, top, x1, bottom in page.shapes:
            if (
                x0 < CORE_LEFT - tolerance
                or x1 > CORE_RIGHT + tolerance
                or top < CORE_TOP - tolerance
                or bottom > CORE_BOTTOM + tolerance
            ):
                out.append(f"page {page.number}: shape {x0:.1f},{top:.1f}-{x1:.1f},{bottom:.1f}")
    return out


def extent(pages: list[Page]) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom, mm) that holds everything but the page numbers."""
    xs0 = [g.x0 for p in pages for g in p.glyphs] + [s[0] for p in pages for s in p.shapes]
    ys0 = [g.top for p in pages for g in p.glyphs] + [s[1] for p in pages for s in p.shapes]
    xs1 = [g.x1 for p in pages for g in p.glyphs] + [s[2] for p in pages for s in p.shapes]
    ys1 = [g.bottom for p in pages for g in p.glyphs] + [s[3] for p in pages for s in p.shapes]
    return min(xs0), min(ys0), max(xs1), max(ys1)


def body_font(pages: list[Page]) -> tuple[str, float]:
    """The (family, size) most of the text is set in."""
    counts = Counter((g.font, g.size) for p in pages for g in p.glyphs if g.text.strip())
    return counts.most_common(1)[0][0]


def fonts_of(pages: list[Page], text: str) -> set[tuple[str, float]]:
    """The (family, size) of the glyphs of the first line that starts with ``text``."""
    for page in pages:
        joined = page.text
        at = joined.find(text)
        if at >= 0:
            return {(g.font, g.size) for g in page.glyphs[at : at + len(text)]}
    raise AssertionError(f"{text!r} not found")


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """Every font of every page (and its form XObjects): embedded as a font program?"""
    reader = PdfReader(io.BytesIO(pdf))
    found: dict[str, bool] = {}

    def visit(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font["/BaseFont"])] = embedded
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def report(pdf: bytes) -> str:
    """The measurements, as the README quotes them."""
    pages = read(pdf)
    left, top, right, bottom = extent(pages)
    fam, size = body_font(pages)
    rows = []
    for page in pages:
        try:
            rows.append(len(page.body_rows()))
        except ValueError as exc:
            rows.append(str(exc))
    numbers = [
        (p.number, "".join(g.text for g in p.page_number), min(g.top for g in p.page_number))
        for p in pages
        if p.page_number
    ]
    families = sorted({family(name) for name in embedded_fonts(pdf)})
    lines = [
        f"pages: {len(pages)}",
        f"extent (mm from the top-left): x {left:.1f}..{right:.1f}, y {top:.1f}..{bottom:.1f} "
        f"(core x {CORE_LEFT:.0f}..{CORE_RIGHT:.0f}, y {CORE_TOP:.0f}..{CORE_BOTTOM:.0f})",
        f"outside the core by more than {TOLERANCE} mm: {len(outside_core(pages))}",
        f"body: {fam} {size} pt; 16 pt lines per page: {rows}",
        "page numbers (text, top in mm): "
        + ", ".join(f"{n}: {t!r} at {y:.1f}" for n, t, y in numbers),
        f"fonts ({len(families)} families): {', '.join(families)}; "
        f"all embedded: {all(embedded_fonts(pdf).values())}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(f"{path}\n{report(Path(path).read_bytes())}\n")
