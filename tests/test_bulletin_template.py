"""The commission's wording (reports/bulletin_template.toml) reaches the bulletin."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from case_tracker.bulletin.template import (
    BulletinTemplate,
    TemplateError,
    load_template,
    loads_template,
)
from case_tracker.cli import main
from tests.pdf_check import plain_text

EXAMPLE = Path(__file__).resolve().parent.parent / "reports" / "bulletin_template.toml"


def test_the_shipped_example_loads_and_overrides_every_text():
    template = load_template(EXAMPLE)
    default = BulletinTemplate()
    for field in dataclasses.fields(BulletinTemplate):
        assert getattr(template, field.name) != getattr(default, field.name), field.name
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
        ('lead = "{when}，…"', "{period}, {scope} and {dates}"),
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
    text = plain_text(pdf.read_bytes())
    assert "关于2018年上半年全区正风肃纪监督检查工作情况的通报" in text
    assert "中共宁波市海曙区纪委办公室" in text
    assert "（一）紧盯节点强监督。" in text
    assert "抄送：市纪委监委党风政风监督室。" in text
    assert "以“四不两直”方式持续开展" in text
    assert main([*args, "--template", str(tmp_path / "missing.toml")]) == 2
    assert "missing.toml" in capsys.readouterr().err


def test_without_a_template_the_scope_names_its_commission(tmp_path):
    """A 海曙区 bulletin is the 海曙区 commission's; a 街道 of 海曙 belongs to it too."""
    for unit, scope in (("NB-HS", "全区"), ("NB-HS-GL", "海曙区鼓楼街道"), (None, "全市")):
        pdf = tmp_path / f"{unit}.pdf"
        args = ["bulletin", "--sample", "--period", "2018-H1", "-o", str(pdf)]
        assert main([*args, *(("--unit", unit) if unit else ())]) == 0
        text = plain_text(pdf.read_bytes())
        body = "中共宁波市海曙区纪律检查委员会" if unit else "中共宁波市纪律检查委员会"
        assert text.count(body) == 2, unit  # masthead and signature
        assert f"关于2018年上半年{scope}正风肃纪监督检查情况的通报" in text
