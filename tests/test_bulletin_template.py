"""The commission's wording (reports/bulletin_template.toml) reaches the bulletin."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from case_tracker.bulletin.template import (
    BulletinTemplate,
    TemplateError,
    load_template,
    loads_template,
)
from case_tracker.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "reports" / "bulletin_template.toml"


def test_the_shipped_example_loads_and_overrides_every_text():
    template = load_template(EXAMPLE)
    default = BulletinTemplate()
    for field in ("issuing_body", "issuing_office", "title", "whole_scope", "requirements"):
        assert getattr(template, field) != getattr(default, field), field
    assert (
        template.title_for("2018年上半年", None)
        == "关于2018年上半年全区正风肃纪监督检查工作情况的通报"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('colour = "red"', "unknown key 'colour'"),
        ("issuing_body = 3", "issuing_body"),
        ('requirements = "one"', "requirements"),
        ('title = "关于{year}的通报"', "{period} and {scope}"),
        ("title = ", "not valid TOML"),
    ],
)
def test_bad_templates_name_the_key(text, message):
    with pytest.raises(TemplateError, match=re.escape(message)):
        loads_template(text)


def test_bulletin_command_uses_the_template(tmp_path, capsys):
    pdf = tmp_path / "hs.pdf"
    args = ["bulletin", "--sample", "--period", "2018-H1", "--unit", "NB-HS", "-o", str(pdf)]
    assert main([*args, "--template", str(EXAMPLE)]) == 0
    text = re.sub(
        r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    )
    assert "关于2018年上半年海曙区正风肃纪监督检查工作情况的通报" in text
    assert "中共宁波市海曙区纪委办公室" in text
    assert "紧盯节点强监督" in text
    assert main([*args, "--template", str(tmp_path / "missing.toml")]) == 2
    assert "missing.toml" in capsys.readouterr().err
