"""The font metrics cache: a hit equals a parse, and a stale or damaged entry is never used."""

from __future__ import annotations

import mmap
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from case_tracker.bulletin import fontcache
from case_tracker.bulletin.fonts import SHIPPED
from tests.pdf_check import embedded_fonts

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def font_file(tmp_path) -> str:
    """A copy of the shipped font: the tests change its modification time."""
    copy = tmp_path / "face.ttc"
    shutil.copyfile(SHIPPED[0], copy)
    return str(copy)


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Records every real parse of a font (ReportLab's extractInfo)."""
    calls: list[str] = []
    real = ttfonts.TTFontFile.extractInfo

    def counting(self, charInfo=1):
        calls.append(self.filename)
        return real(self, charInfo)

    monkeypatch.setattr(ttfonts.TTFontFile, "extractInfo", counting)
    return calls


def _same_font(font: TTFont, reference: TTFont) -> None:
    """Every attribute ReportLab sets, equal (the scale function compared by its values)."""
    assert type(font) is type(reference)
    assert vars(font).keys() == vars(reference).keys()
    for name in vars(reference).keys() - {"face", "state", "fontName"}:
        if name == "encoding":
            assert vars(font.encoding) == vars(reference.encoding)
        else:
            assert getattr(font, name) == getattr(reference, name), name
    expected = vars(reference.face)
    for name, value in expected.items():
        mine = getattr(font.face, name)  # decodes what the cache keeps encoded (LAZY)
        if callable(value):
            points = (0, 1, 977, 2048)
            assert [mine(x) for x in points] == [value(x) for x in points], name
        elif name == "_ttf_data":  # the file's bytes, or a mapping of them (see fontcache)
            assert mine[:] == value[:]
        else:
            assert mine == value, name
            assert type(mine) is type(value), name
    assert vars(font.face).keys() - {"_lazy"} == expected.keys()
    assert font.face.name.ustr == reference.face.name.ustr
    assert font.face.familyName.ustr == reference.face.familyName.ustr


def test_a_hit_equals_a_parse_without_parsing(cache_home, font_file, parses):
    reference = TTFont("Reference", font_file, subfontIndex=0)
    first = fontcache.load_ttfont("First", font_file, 0)
    assert fontcache.entry_path(font_file, 0).is_file()
    assert str(fontcache.entry_path(font_file, 0)).startswith(str(cache_home))
    assert len(parses) == 2  # the reference and the first load: a miss parses
    second = fontcache.load_ttfont("Second", font_file, 0)
    assert len(parses) == 2  # the hit did not
    _same_font(first, reference)
    _same_font(second, reference)
    assert second.stringWidth("正风肃纪 2018", 16) == reference.stringWidth("正风肃纪 2018", 16)


def test_what_only_shaping_reads_is_decoded_when_asked_for(cache_home, font_file, parses):
    fontcache.load_ttfont("First", font_file, 0)
    font = fontcache.load_ttfont("Second", font_file, 0)
    lazy = fontcache.LAZY & vars(TTFont("Reference", font_file).face).keys()
    assert not lazy & vars(font.face).keys()  # ReportLab 3.6 keeps none of them
    for name in lazy:
        assert getattr(font.face, name)
        assert name in vars(font.face)
    with pytest.raises(AttributeError):
        font.face.no_such_attribute  # noqa: B018 - the access is the test


def test_the_font_file_is_mapped_unless_shaping_may_need_its_bytes(
    cache_home, font_file, monkeypatch
):
    mapped = fontcache.load_ttfont("Mapped", font_file, 0)
    assert isinstance(mapped.face._ttf_data, mmap.mmap)
    monkeypatch.setattr(ttfonts, "uharfbuzz", object(), raising=False)  # shaping available
    read = fontcache.load_ttfont("Read", font_file, 0)
    assert type(read.face._ttf_data) is bytes
    assert mapped.face._ttf_data[:] == read.face._ttf_data
    assert mapped.face.filename == read.face.filename == font_file


SUBSET_TEXT = "关于2018年上半年全市正风肃纪监督检查情况的通报：发现问题1735个，处理1261人。ABCxyz"


@pytest.mark.parametrize("index", [0, 1])
def test_a_subset_is_byte_for_byte_reportlabs(cache_home, font_file, index):
    """What is embedded in the PDF: the same font program from a cold and a warm load as
    from ReportLab's own face (the views of glyf and post, the mapping of the file)."""
    reference = TTFont("Reference", font_file, subfontIndex=index).face
    subset = [0, *sorted({ord(c) for c in SUBSET_TEXT if ord(c) in reference.charToGlyph})]
    expected = reference.makeSubset(subset)
    for attempt in ("cold", "warm"):
        face = fontcache.load_ttfont(f"Cached{attempt}", font_file, index).face
        assert face.makeSubset(subset) == expected, attempt
        glyf = face.get_table("glyf")
        assert len(glyf) == len(reference.get_table("glyf"))
        assert glyf[100:164] == reference.get_table("glyf")[100:164]
        assert (
            glyf[5] == reference.get_table("glyf")[5]
            and glyf[-1] == reference.get_table("glyf")[-1]
        )


def test_each_face_of_a_collection_has_its_own_entry(cache_home, font_file, parses):
    fontcache.load_ttfont("Zero", font_file, 0)
    one = fontcache.load_ttfont("One", font_file, 1)
    assert fontcache.entry_path(font_file, 0) != fontcache.entry_path(font_file, 1)
    assert len(parses) == 2
    _same_font(fontcache.load_ttfont("OneAgain", font_file, 1), one)
    assert one.face.name != fontcache.load_ttfont("ZeroAgain", font_file, 0).face.name
    assert len(parses) == 2


def test_a_changed_font_file_is_parsed_again(cache_home, font_file, parses):
    fontcache.load_ttfont("First", font_file, 0)
    stat = os.stat(font_file)
    os.utime(font_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    font = fontcache.load_ttfont("Second", font_file, 0)
    assert len(parses) == 2
    fontcache.load_ttfont("Third", font_file, 0)  # the entry was rewritten for the new file
    assert len(parses) == 2
    _same_font(font, TTFont("Reference", font_file))


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: blob[:-100] + bytes(100),  # zeroed tail
        lambda blob: b"not an entry",
        lambda blob: b"",
    ],
    ids=["truncated", "zeroed", "foreign", "empty"],
)
def test_a_damaged_entry_is_ignored_and_rewritten(cache_home, font_file, parses, damage):
    fontcache.load_ttfont("First", font_file, 0)
    entry = fontcache.entry_path(font_file, 0)
    entry.write_bytes(damage(entry.read_bytes()))
    font = fontcache.load_ttfont("Second", font_file, 0)
    assert len(parses) == 2
    fontcache.load_ttfont("Third", font_file, 0)
    assert len(parses) == 2  # the entry is good again
    _same_font(font, TTFont("Reference", font_file))


def test_an_entry_for_another_key_is_not_used(cache_home, font_file, parses):
    """A valid entry (digest and all) written for other circumstances is stale."""
    fontcache.load_ttfont("First", font_file, 0)
    key = fontcache._key(font_file, 0)
    other = (*key[:5], "0.0-other-reportlab", *key[6:])
    attributes = {"ascent": 1.0}
    assert fontcache.write_entry(font_file, 0, other, attributes)
    assert fontcache.read_entry(font_file, 0, key) is None
    assert fontcache.read_entry(font_file, 0, other) == (attributes, {})


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch, font_file, parses):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # mkdir under a file fails
    first = fontcache.load_ttfont("First", font_file, 0)
    fontcache.load_ttfont("Second", font_file, 0)
    assert len(parses) == 2
    _same_font(first, TTFont("Reference", font_file))


def test_a_file_that_is_no_font_fails_as_before_and_is_not_cached(cache_home, tmp_path):
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"\0" * 64)
    with pytest.raises(TTFError):
        fontcache.load_ttfont("Bad", str(bad), 0)
    assert not fontcache.entry_path(str(bad), 0).exists()
    with pytest.raises((OSError, TTFError)):
        fontcache.load_ttfont("Missing", str(tmp_path / "missing.ttf"), 0)


def _render(cache_home: Path) -> bytes:
    """The example bulletin rendered in a fresh process (fonts are registered once per process)."""
    script = (
        "import sys\n"
        "from case_tracker.bulletin import render\n"
        "from case_tracker.bulletin.example import example\n"
        "sys.stdout.buffer.write(render(example()))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(ROOT)}
    for role in ("BODY", "HEADING", "TITLE", "KAI"):
        env.pop(f"CASE_TRACKER_FONT_{role}", None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, check=True, cwd=ROOT
    )
    return done.stdout


def test_the_pdf_is_the_same_from_a_cold_and_a_warm_cache(cache_home):
    cold = _render(cache_home)
    assert list((cache_home / "case_tracker" / "fonts").iterdir())
    warm = _render(cache_home)
    assert cold == warm  # byte for byte: same text, same embedded subsets
    assert embedded_fonts(warm) and all(embedded_fonts(warm).values())
