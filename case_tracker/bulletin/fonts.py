"""Which CJK fonts a bulletin uses, and registering them with ReportLab.

Only TrueType (glyf) fonts are embedded by ReportLab, and only an embedded font
makes a PDF that looks the same on every machine.  Search order, per role
(``body``: Song/宋体 style; ``heading``: Hei/黑体 style):

1. ``CASE_TRACKER_FONT_BODY`` / ``CASE_TRACKER_FONT_HEADING``: a font file,
   optionally ``PATH#INDEX`` for a collection (.ttc).  An unusable file is an
   error, not a silent fallback: the user asked for it.
2. System fonts from Debian packages: fonts-arphic-uming (AR PL UMing, a Song
   face, for the body), fonts-wqy-microhei / fonts-wqy-zenhei (Hei).
3. The font shipped with this package: WenQuanYi Micro Hei (Apache-2.0 or
   GPL-3+ with font exception), for any role still unresolved.
4. Only if all of that fails: ReportLab's built-in CID font STSong-Light, which
   is never embedded (Chinese text is blank on a viewer without that font);
   announced on stderr.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

SHIPPED_DIR = Path(__file__).with_name("fonts")
SHIPPED = (SHIPPED_DIR / "wqy-microhei.ttc", 0)
CID_FALLBACK = "STSong-Light"

ENV = {"body": "CASE_TRACKER_FONT_BODY", "heading": "CASE_TRACKER_FONT_HEADING"}

#: System candidates per role, best first: (path, subfont index).
SYSTEM: dict[str, tuple[tuple[str, int], ...]] = {
    "body": (
        ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing CN (Song)
        ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0),  # AR PL SungtiL GB
    ),
    "heading": (
        ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
        ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ),
}


class FontError(RuntimeError):
    """A font named by the user cannot be used."""


@dataclass(frozen=True)
class FontChoice:
    role: str
    name: str  # the ReportLab font name to use in styles
    path: str  # file, or the CID font name
    index: int
    source: str  # env | system | shipped | cid
    family: str  # the font's own family name

    @property
    def embedded(self) -> bool:
        return self.source != "cid"

    def describe(self) -> str:
        where = f"{self.path}#{self.index}" if self.path.endswith(".ttc") else self.path
        return f"{self.role}: {self.family} ({self.source}, {where})"


@dataclass(frozen=True)
class Fonts:
    body: FontChoice
    heading: FontChoice


def _parse_env(value: str) -> tuple[str, int]:
    path, sep, index = value.rpartition("#")
    if sep and index.isdigit():
        return path, int(index)
    return value, 0


def _font_name(path: str, index: int) -> str:
    """One ReportLab name per file and face: two roles on one file share one font."""
    stem = "".join(ch for ch in Path(path).stem if ch.isalnum() or ch in "-_")
    return f"CaseTracker-{stem}-{index}"


def _load(path: str, index: int) -> TTFont:
    name = _font_name(path, index)
    if name in pdfmetrics.getRegisteredFontNames():
        return pdfmetrics.getFont(name)
    return TTFont(name, path, subfontIndex=index)


def _resolve(
    role: str, env: dict[str, str], system: dict, shipped: tuple[Path, int]
) -> tuple[FontChoice, TTFont | None]:
    value = env.get(ENV[role], "").strip()
    if value:
        path, index = _parse_env(value)
        try:
            font = _load(path, index)
        except (OSError, TTFError) as exc:
            raise FontError(
                f"{ENV[role]}={value!r}: not a usable TrueType font ({exc}); "
                "only TrueType (glyf) fonts can be embedded / 字体不可用"
            ) from None
        return _choice(role, path, index, "env", font), font
    candidates = [(p, i, "system") for p, i in system.get(role, ())]
    candidates.append((str(shipped[0]), shipped[1], "shipped"))
    for path, index, source in candidates:
        if not os.path.isfile(path):
            continue
        try:
            font = _load(path, index)
        except (OSError, TTFError):
            continue
        return _choice(role, path, index, source, font), font
    print(
        f"warning: no embeddable Chinese font found for the bulletin {role}; using the "
        f"built-in {CID_FALLBACK}, which is NOT embedded (Chinese text may be blank on "
        f"other machines). Install fonts-arphic-uming/fonts-wqy-microhei or set "
        f"{ENV[role]}. / 警告：未找到可嵌入的中文字体，改用不嵌入的 {CID_FALLBACK}。",
        file=sys.stderr,
    )
    return FontChoice(role, CID_FALLBACK, CID_FALLBACK, 0, "cid", CID_FALLBACK), None


def _choice(role: str, path: str, index: int, source: str, font: TTFont) -> FontChoice:
    family = font.face.familyName
    if isinstance(family, bytes):
        family = family.decode("latin-1")
    return FontChoice(role, font.fontName, path, index, source, str(family))


_lock = threading.Lock()
_cache: dict[tuple, Fonts] = {}


def register(
    env: dict[str, str] | None = None,
    system: dict[str, tuple[tuple[str, int], ...]] | None = None,
    shipped: tuple[Path, int] = SHIPPED,
) -> Fonts:
    """Resolve and register the body and heading fonts (once per process and setting).

    ``env`` defaults to ``os.environ`` and ``system`` to :data:`SYSTEM`; tests pass
    their own to see what a machine without Chinese fonts gets.

    Parsing a CJK font takes a good part of a second: the result is cached, and
    the ReportLab names depend on the files, so two settings in one process
    (tests, a long-running Odoo) never overwrite each other's registration.
    """
    env = dict(os.environ if env is None else env)
    system = SYSTEM if system is None else system
    key = (
        *(env.get(v, "") for v in ENV.values()),
        repr(sorted(system.items())),
        str(shipped),
    )
    with _lock:
        if key in _cache:
            return _cache[key]
        choices = {}
        for role in ("body", "heading"):
            choice, font = _resolve(role, env, system, shipped)
            registered = pdfmetrics.getRegisteredFontNames()
            if font is not None and font.fontName not in registered:
                pdfmetrics.registerFont(font)
            elif font is None and CID_FALLBACK not in registered:
                pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
            choices[role] = choice
        fonts = Fonts(**choices)
        _cache[key] = fonts
        return fonts
