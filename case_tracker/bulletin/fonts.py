"""Which CJK faces a document uses, by role, and registering them with ReportLab.

GB/T 9704-2012 sets a 公文 in four faces: 小标宋 for the 发文机关标志 and the
title, 仿宋 for the body, 黑体 for first-level headings and 楷体 for
second-level ones.  Those faces are not openly licensed; each role gets the
closest openly licensed TrueType face that ReportLab can embed (only glyf
outlines embed; an unembedded font makes a PDF that looks different elsewhere):

========  =================  =====================================================
role      stands in for      face (Debian package), best first
========  =================  =====================================================
title     小标宋 (XiaoBiaoSong)  AR PL SungtiL GB 简报宋 (fonts-arphic-gbsn00lp), drawn
                             with a thin outline stroke to reach 小标宋's weight;
                             then AR PL UMing
body      仿宋 (FangSong)     AR PL UMing CN (fonts-arphic-uming): no open simplified
                             仿宋 is packaged, a light Song is the closest
heading   黑体 (SimHei)       WenQuanYi Zen Hei (fonts-wqy-zenhei), WenQuanYi Micro Hei
kai       楷体 (KaiTi)        AR PL UKai CN (fonts-arphic-ukai), AR PL KaitiM GB
========  =================  =====================================================

Search order per role:

1. ``CASE_TRACKER_FONT_<ROLE>`` (BODY, HEADING, TITLE, KAI): a font file,
   optionally ``PATH#INDEX`` for a collection (.ttc).  An unusable file is an
   error, not a silent fallback: the user asked for it.
2. The system faces above.
3. A missing title or kai face falls back to the body face, a missing body or
   heading face to the font shipped with this package (WenQuanYi Micro Hei,
   Apache-2.0 or GPL-3+ with font exception); each such fallback is announced
   on stderr with the package that would fix it.
4. Only if all of that fails: ReportLab's built-in CID font STSong-Light, which
   is never embedded (Chinese text is blank on a viewer without that font).

Digits and Latin letters are set in the face of their role (half-width, from
the same font), never in a separate Latin face.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, fields
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from case_tracker.bulletin.fontcache import load_ttfont
from case_tracker.errors import UserFacingError

SHIPPED_DIR = Path(__file__).with_name("fonts")
SHIPPED = (SHIPPED_DIR / "wqy-microhei.ttc", 0)
CID_FALLBACK = "STSong-Light"

ROLES = ("body", "heading", "title", "kai")
ENV = {role: f"CASE_TRACKER_FONT_{role.upper()}" for role in ROLES}
#: What each role stands for, for messages and the README.
ROLE_NAMES = {"body": "仿宋", "heading": "黑体", "title": "小标宋", "kai": "楷体"}

_ARPHIC = "/usr/share/fonts/truetype/arphic"
#: System candidates per role, best first: (path, subfont index, Debian package).
SYSTEM: dict[str, tuple[tuple[str, int, str], ...]] = {
    "body": (
        (f"{_ARPHIC}/uming.ttc", 0, "fonts-arphic-uming"),  # AR PL UMing CN
        ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0, "fonts-arphic-gbsn00lp"),
    ),
    "heading": (
        ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "fonts-wqy-zenhei"),
        ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "fonts-wqy-microhei"),
    ),
    "title": (
        ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0, "fonts-arphic-gbsn00lp"),
    ),
    "kai": (
        (f"{_ARPHIC}/ukai.ttc", 0, "fonts-arphic-ukai"),  # AR PL UKai CN
        ("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0, "fonts-arphic-gkai00mp"),
    ),
}
#: A role without a face of its own borrows this role's face (None: the shipped font).
BORROWS = {"body": None, "heading": None, "title": "body", "kai": "body"}
#: Outline stroke, in em, that brings the light Song of the title role to 小标宋's weight.
TITLE_EMBOLDEN = 0.022


class FontError(UserFacingError, RuntimeError):
    """A font named by the user cannot be used."""


@dataclass(frozen=True)
class FontChoice:
    role: str
    name: str  # the ReportLab font name to use in styles
    path: str  # file, or the CID font name
    index: int
    source: str  # env | system | shipped | cid | the role borrowed from
    family: str  # the font's own family name
    embolden: float = 0.0  # outline stroke in em (faux bold), 0 for none

    @property
    def embedded(self) -> bool:
        return self.path != CID_FALLBACK

    def describe(self) -> str:
        where = f"{self.path}#{self.index}" if self.path.endswith(".ttc") else self.path
        return f"{self.role} ({ROLE_NAMES[self.role]}): {self.family} ({self.source}, {where})"

    def covers(self, char: str) -> bool:
        """Whether the face has a glyph for ``char`` (GB2312 faces lack rarer characters)."""
        if not self.embedded:
            return True
        face = pdfmetrics.getFont(self.name).face
        return ord(char) in face.charToGlyph


@dataclass(frozen=True)
class Fonts:
    body: FontChoice
    heading: FontChoice
    title: FontChoice
    kai: FontChoice

    def role(self, role: str) -> FontChoice:
        return getattr(self, role)

    @property
    def families(self) -> set[str]:
        return {getattr(self, f.name).family for f in fields(self)}

    def describe(self) -> str:
        return "; ".join(getattr(self, f.name).describe() for f in fields(self))


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
    return load_ttfont(name, path, index)  # the parse is cached per user: see fontcache


def _choice(role: str, path: str, index: int, source: str, font: TTFont) -> FontChoice:
    family = font.face.familyName
    if isinstance(family, bytes):
        family = family.decode("latin-1")
    embolden = TITLE_EMBOLDEN if role == "title" and source != "env" else 0.0
    return FontChoice(role, font.fontName, path, index, source, str(family), embolden)


def _from_env(role: str, env: dict[str, str]) -> tuple[FontChoice, TTFont] | None:
    value = env.get(ENV[role], "").strip()
    if not value:
        return None
    path, index = _parse_env(value)
    try:
        font = _load(path, index)
    except (OSError, TTFError) as exc:
        raise FontError(
            f"{ENV[role]}={value!r}: not a usable TrueType font ({exc}); "
            "only TrueType (glyf) fonts can be embedded / 字体不可用"
        ) from None
    return _choice(role, path, index, "env", font), font


def _from_files(role: str, candidates, source: str) -> tuple[FontChoice, TTFont] | None:
    for path, index, *_package in candidates:
        if not os.path.isfile(path):
            continue
        try:
            font = _load(str(path), index)
        except (OSError, TTFError):
            continue
        return _choice(role, str(path), index, source, font), font
    return None


def _warn(role: str, system: dict, used: str) -> None:
    packages = " or ".join(c[2] for c in system.get(role, ()) if len(c) > 2) or "a TrueType face"
    print(
        f"warning: no {ROLE_NAMES[role]} face for the {role} role; using {used}. "
        f"Install {packages} or set {ENV[role]}. / 警告：缺少{ROLE_NAMES[role]}字体，改用 {used}。",
        file=sys.stderr,
    )


_lock = threading.Lock()
_cache: dict[tuple, Fonts] = {}


def register(
    env: dict[str, str] | None = None,
    system: dict[str, tuple[tuple, ...]] | None = None,
    shipped: tuple[Path, int] = SHIPPED,
) -> Fonts:
    """Resolve and register a face per role (once per process and setting).

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
        choices: dict[str, FontChoice] = {}
        for role in ("body", "heading", "title", "kai"):  # borrowers after their lenders
            found = _from_env(role, env) or _from_files(role, system.get(role, ()), "system")
            if found is None:
                lender = BORROWS[role]
                if lender is not None:
                    borrowed = choices[lender]
                    choice = FontChoice(
                        role,
                        borrowed.name,
                        borrowed.path,
                        borrowed.index,
                        f"{lender} face",
                        borrowed.family,
                        TITLE_EMBOLDEN if role == "title" else 0.0,
                    )
                    _warn(role, system, borrowed.family)
                    choices[role] = choice
                    continue
                found = _from_files(role, [(str(shipped[0]), shipped[1])], "shipped")
                if found is not None and system.get(role):
                    _warn(role, system, found[0].family)
            if found is None:
                print(
                    f"warning: no embeddable Chinese font found for the {role} role; using the "
                    f"built-in {CID_FALLBACK}, which is NOT embedded (Chinese text may be blank "
                    f"on other machines). Install fonts-arphic-uming/fonts-wqy-microhei or set "
                    f"{ENV[role]}. / 警告：未找到可嵌入的中文字体，改用不嵌入的 {CID_FALLBACK}。",
                    file=sys.stderr,
                )
                if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
                choices[role] = FontChoice(role, CID_FALLBACK, CID_FALLBACK, 0, "cid", CID_FALLBACK)
                continue
            choice, font = found
            if font.fontName not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(font)
            choices[role] = choice
        fonts = Fonts(**choices)
        _cache[key] = fonts
        return fonts
