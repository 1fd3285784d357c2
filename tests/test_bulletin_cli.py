"""``case-tracker bulletin``: the README's first Quick start command, end to end."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from pypdf import PdfReader

from case_tracker.bulletin import BulletinData
from case_tracker.cli import main
from tests.pdf_check import plain_text
from tests.test_bulletin_render import assert_all_embedded


@pytest.fixture(scope="module")
def quick_start(tmp_path_factory):
    out = tmp_path_factory.mktemp("bulletin")
    pdf, data = out / "bulletin.pdf", out / "bulletin.json"
    code = main(
        ["bulletin", "--sample", "--period", "2018-H1", "-o", str(pdf), "--data-json", str(data)]
    )
    assert code == 0
    return pdf, data


def test_quick_start_writes_an_embedded_pdf_with_the_figures(quick_start):
    pdf, data_file = quick_start
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert_all_embedded(pdf.read_bytes())
    text = plain_text(pdf.read_bytes())
    data = BulletinData.from_dict(json.loads(data_file.read_text(encoding="utf-8")))
    assert data.period_label in text
    for figure in data.headline:
        assert str(figure.value) in text, figure.key
    assert f"发现问题{data.figure('problems').value}个" in text
    assert not list(pdf.parent.glob("*.part"))
    assert "数据来源" not in text and "sample" not in text  # where figures came from: metadata
    assert data.date == date.today()  # 成文日期: the day of generation
    assert reader.metadata.get("/Keywords") == "数据来源：sample"


def test_the_rectification_section_has_the_loop_by_unit_and_the_definition(quick_start):
    """各单位整改情况: a row per unit and 合计 with the statistics' numbers, rates as
    printed, and the definition of 整改不实 under the table."""
    from case_tracker.figures import FALSE_RECTIFICATION
    from tests import pdf_check

    pdf, data_file = quick_start
    data = BulletinData.from_dict(json.loads(data_file.read_text(encoding="utf-8")))
    r = data.rectification
    total = r.units[-1]
    assert total.label == "合计" and total.finished == r.finished > 0
    assert r.false_rectification and r.returns and r.extended
    text = plain_text(pdf.read_bytes())
    rate = f"{100 * r.on_time / r.finished:.1f}%"
    assert f"本期完成整改{r.finished}个，按原定整改期限计算，按期完成率{rate}" in text
    assert f"“回头看”发现整改不实{r.false_rectification}个" in text
    assert "各单位整改情况" in text and "平均退回" in text
    row = f"合计{r.finished}{rate}{r.returns / r.finished:.2f}{r.extended}{r.false_rectification}"
    assert row in text
    for unit in r.units[:-1]:
        assert unit.label in text
    assert FALSE_RECTIFICATION.definition in text
    pages = pdf_check.read(pdf.read_bytes())
    assert pdf_check.outside_core(pages) == []
    # The table is in the rectification section (五、), before the typical cases (六、).
    assert text.index("五、") < text.index("各单位整改情况") < text.index("六、典型问题通报")


def test_bad_date_and_missing_directory_are_clear_errors(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["bulletin", "--sample", "--period", "2018-H1", "-o", "x.pdf", "--date", "7/16"])
    assert "--date" in capsys.readouterr().err
    target = tmp_path / "no" / "b.pdf"
    assert main(["bulletin", "--sample", "--period", "2018-H1", "-o", str(target)]) == 2
    assert "does not exist" in capsys.readouterr().err
