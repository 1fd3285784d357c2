"""A per-user cache of the metrics ReportLab parses out of a TrueType font.

Opening a CJK font, ReportLab's ``TTFontFile.extractInfo`` walks the cmap and
hmtx tables of tens of thousands of glyphs in pure Python: about 0.1 s per face,
the largest single cost of ``case-tracker bulletin`` after importing pandas, and
the same result on every run.  :func:`load_ttfont` keeps what ``extractInfo``
sets on the face (names, ascent and descent, ``charToGlyph``, ``charWidths``,
``hmetrics``, ``glyphPos``...) in ``$XDG_CACHE_HOME/case_tracker/fonts`` (or
``~/.cache/case_tracker/fonts``) and, on the next run, sets them from there
instead of parsing.  Everything else is ReportLab's own: the face still reads
the font file's table directory, and subsetting reads the glyphs from that file
when the PDF is written, so the PDF is the same with or without the cache (the
file is mapped rather than read whole, and subsetting copies only the glyphs it
takes: see :class:`_Face`).

An entry is used only if it was written for the same file (path, face index,
size, modification time), the same ReportLab and the same Python; anything else
(stale, truncated, corrupt, unwritable directory) silently falls back to a
normal parse, which rewrites the entry.  Attributes are stored with
:mod:`marshal` (plain data only, checked before writing; a checksum guards against
a damaged file), which loads several times faster than the parse.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import mmap
import os
import sys
import tempfile
import zlib
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFNameBytes, TTFont, TTFontFace

#: Bump when the layout of an entry changes.
FORMAT = 2
MAGIC = b"case_tracker font metrics 2\n"
_DIGEST_SIZE = 4
#: Marks a ReportLab name string (a bytes subclass that also carries its text).
_NAME = "name"
#: Marks ReportLab 4+'s unit scaling function, rebuilt from unitsPerEm.
_SCALE = "scale"
#: Marks an attribute kept encoded until first asked for.
_LAZY = "lazy"
#: Attributes only ReportLab's text shaping (with uharfbuzz) reads: decoded on demand,
#: which spares a few milliseconds per face on every run that does not shape.
LAZY = frozenset({"glyphToChar"})
_PLAIN = (int, float, str, bytes, bool, type(None))


def cache_dir() -> Path:
    """Where entries live: the XDG cache directory of the user running the process."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "case_tracker" / "fonts"


def entry_path(path: str, index: int) -> Path:
    """One entry per font file, face and ReportLab (the add-on's Odoo pins an older one than
    the CLI's venv: each keeps its own entry); its name says which, its content when."""
    which = f"{os.path.realpath(path)}#{index}#{reportlab.Version}"
    digest = hashlib.sha256(which.encode()).hexdigest()[:24]
    return cache_dir() / f"{Path(path).stem}-{index}-{digest}.marshal"


def _key(path: str, index: int) -> tuple:
    stat = os.stat(path)
    return (
        FORMAT,
        os.path.realpath(path),
        index,
        stat.st_size,
        stat.st_mtime_ns,
        reportlab.Version,
        tuple(sys.version_info[:2]),
        marshal.version,
    )


def _mapped(path: str) -> tuple[str, mmap.mmap] | None:
    """The font file mapped read-only, for ReportLab to read as it reads its bytes; None where
    it needs a real ``bytes`` (text shaping hands them to uharfbuzz) or mapping fails.

    ReportLab reads a whole font file (60 MB for the bulletin's four CJK faces) to use a few
    hundred kilobytes of it; mapped, only the pages it reads are read.  Packages replace a
    font file by renaming a new one over it, which leaves a mapping of the old one intact."""
    if getattr(ttfonts, "uharfbuzz", None) is not None:
        return None
    try:
        filename, handle = ttfonts.TTFOpenFile(path)
    except (OSError, TTFError):
        return None  # ReportLab will say why
    try:
        with handle:
            return filename, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError, AttributeError):  # an empty file, a stream without a file
        return None


class _TableView:
    """A table of the font file that copies only the slices taken from it.

    ReportLab's ``makeSubset`` takes the whole ``glyf`` table (up to 17 MB for a CJK face)
    as bytes to slice out the few hundred glyphs a PDF uses, and the whole ``post`` table
    for 12 of its bytes; it only ever slices them."""

    __slots__ = ("_data", "_length", "_start")

    def __init__(self, data, start: int, length: int) -> None:
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0] if key >= 0 else self[self._length + key]
        start, stop, step = key.indices(self._length)
        piece = self._data[self._start + start : self._start + max(start, stop)]
        return piece if step == 1 else bytes(self[:])[key]


class _Face(TTFontFace):
    """A TTFontFace whose ``extractInfo`` takes its results from a cache entry, if given,
    and otherwise parses and remembers what the parse set (to write the entry).  It reads
    its file through a mapping where it can (:func:`_mapped`) and hands ``makeSubset`` the
    big tables as :class:`_TableView`."""

    #: The tables ReportLab only slices (in makeSubset).
    VIEWED = frozenset({"glyf", "post"})

    def __init__(self, filename: str, subfontIndex: int, cached: tuple[dict, dict] | None) -> None:
        self._cached = cached
        mapped = _mapped(filename)
        if mapped is not None:  # ReportLab's readFile keeps a _ttf_data already there
            self.filename, self._ttf_data = mapped
        super().__init__(filename, subfontIndex=subfontIndex)

    def get_table(self, tag):
        if tag in self.VIEWED:
            start, length = self.get_table_pos(tag)
            return _TableView(self._ttf_data, start, length)
        return super().get_table(tag)

    def extractInfo(self, charInfo=1):
        cached = self.__dict__.pop("_cached")
        if cached is not None and charInfo:
            attributes, self._lazy = cached
            self.__dict__.update(attributes)
            return
        before = dict(self.__dict__)
        super().extractInfo(charInfo)
        missing = object()
        self._extracted = {
            name: value
            for name, value in self.__dict__.items()
            if before.get(name, missing) is not value
        }

    def __getattr__(self, name: str):
        """An attribute of the cache entry still encoded (:data:`LAZY`): decode it now."""
        lazy = self.__dict__.get("_lazy")
        if lazy and name in lazy:
            value = self.__dict__[name] = marshal.loads(lazy.pop(name))
            return value
        raise AttributeError(name)


def _scale(units_per_em: int):
    """ReportLab's ``_pdfScale`` (font units to thousandths of an em), as extractInfo sets it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _is_plain(value) -> bool:
    """Whether marshal stores ``value`` exactly: builtin types only, no subclass anywhere."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind in (list, tuple):
        return all(map(_is_plain, value))
    if kind is dict:
        return all(map(_is_plain, value)) and all(map(_is_plain, value.values()))
    return False


def _encode(attributes: dict) -> dict | None:
    """``{name: (kind, value)}`` for marshal, or None if some value cannot be stored exactly."""
    encoded = {}
    for name, value in attributes.items():
        if type(value) is TTFNameBytes and TTFNameBytes(value.ustr.encode("utf-8")) == value:
            encoded[name] = (_NAME, value.ustr)
        elif name == "_pdfScale" and callable(value):
            encoded[name] = (_SCALE, None)
        elif _is_plain(value):
            encoded[name] = (_LAZY, marshal.dumps(value)) if name in LAZY else ("", value)
        else:
            return None
    return encoded


def _decode(encoded: dict) -> tuple[dict, dict]:
    """The attributes to set at once, and those to decode when asked for (name: marshal)."""
    attributes, lazy = {}, {}
    for name, (kind, value) in encoded.items():
        if kind == _LAZY:
            if not isinstance(value, bytes):
                raise ValueError(f"{name}: not an encoded value")
            lazy[name] = value
            continue
        if kind == _NAME:
            value = TTFNameBytes(value.encode("utf-8"))
        elif kind == _SCALE:
            value = _scale(encoded["unitsPerEm"][1])
        elif kind:
            raise ValueError(f"unknown kind {kind!r}")
        attributes[name] = value
    return attributes, lazy


def _digest(payload) -> bytes:
    """A checksum against a damaged entry (Adler-32: several times faster than a hash of the
    few megabytes of an entry, and a writer replaces an entry whole, never in part)."""
    return zlib.adler32(payload).to_bytes(_DIGEST_SIZE, "big")


def read_entry(path: str, index: int, key: tuple) -> tuple[dict, dict] | None:
    """The cached attributes for this font file and face (those to set, those to decode on
    demand), or None (absent, stale, damaged)."""
    try:
        blob = entry_path(path, index).read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + _DIGEST_SIZE
    if not blob.startswith(MAGIC):
        return None
    payload = memoryview(blob)[head:]  # megabytes: not copied
    if _digest(payload) != blob[len(MAGIC) : head]:
        return None
    enabled = gc.isenabled()
    gc.disable()  # tens of thousands of containers: collecting while loading doubles the time
    try:
        stored_key, encoded = marshal.loads(payload)
        if stored_key != key:
            return None
        return _decode(encoded)
    except (EOFError, ValueError, TypeError, KeyError, IndexError):
        return None
    finally:
        if enabled:
            gc.enable()


def write_entry(path: str, index: int, key: tuple, attributes: dict) -> bool:
    """Store the attributes (atomically: a reader never sees half an entry); False if not."""
    encoded = _encode(attributes)
    if encoded is None:
        return False
    payload = marshal.dumps((key, encoded))
    digest = _digest(payload)
    target = entry_path(path, index)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + digest + payload)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False  # a read-only home (a service account): parse every time, as before
    return True


def _font(name: str, face: TTFontFace) -> TTFont:
    """A TTFont around an already built face: what ``TTFont.__init__`` does after the parse
    (ReportLab 3.6 and 5.x; ``tests/test_font_cache.py`` compares it with a real TTFont)."""
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    globs = getattr(ttfonts, "unShapedFontGlob", None)
    if globs is not None:  # ReportLab 4+: shaping unless the font's name is excluded
        font.shapable = not any(fnmatch(name, glob) for glob in globs)
    return font


def load_ttfont(name: str, path: str, index: int = 0) -> TTFont:
    """``TTFont(name, path, subfontIndex=index)``, with the face's metrics from the cache.

    Raises what ReportLab raises for a file that is not a usable font (nothing is
    cached for it)."""
    try:
        key = _key(path, index)
    except OSError:
        return TTFont(name, path, subfontIndex=index)  # ReportLab says why
    cached = read_entry(path, index, key)
    face = _Face(path, index, cached)
    extracted = face.__dict__.pop("_extracted", None)
    if extracted is not None:
        write_entry(path, index, key, extracted)
    return _font(name, face)
