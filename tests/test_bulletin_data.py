"""BulletinData: the JSON round trip the add-on relies on to freeze an issued bulletin."""

from __future__ import annotations

import json
from datetime import date

import pytest

from case_tracker.bulletin import (
    BulletinData,
    CountRow,
    CountTable,
    FormShare,
    GradeCount,
    HeadlineFigure,
    Rectification,
    TrendPoint,
    TypicalCase,
    case_title,
)


def sample() -> BulletinData:
    return BulletinData(
        issuing_body="中共某市纪律检查委员会",
        number="第3期",
        date=date(2018, 7, 10),
        title="关于2018年上半年正风肃纪监督检查情况的通报",
        period_label="2018年上半年",
        scope_label="全市",
        headline=[HeadlineFigure("problems", "发现问题", "个", 1735, 1500, 1600, 1735)],
        categories=CountTable(
            "问题分类",
            "问题类型",
            [CountRow("享乐主义", 5, 6, 2, level="group"), CountRow("x", 1, 1, 0)],
        ),
        forms=[FormShare(1, "第一种形态", 10, 62.5)],
        rectification=Rectification(grades=[GradeCount("poor", "差", 3, True)], poor=3),
        trend=[TrendPoint("2018-01", 3, 2)],
        cases=[TypicalCase("t", "f", "o", ref="P-1")],
        requirements=["一是……"],
    )


def test_round_trip_through_json():
    data = sample()
    text = json.dumps(data.to_dict(), ensure_ascii=False)
    assert BulletinData.from_dict(json.loads(text)) == data


def test_bad_value_names_the_field():
    raw = sample().to_dict()
    raw["categories"]["rows"][1]["persons"] = "1"
    with pytest.raises(ValueError, match=r"categories\.rows\[1\]\.persons"):
        BulletinData.from_dict(raw)
    raw = sample().to_dict()
    raw["categories"]["rows"][0]["level"] = "bold"
    with pytest.raises(ValueError, match="level"):
        BulletinData.from_dict(raw)
    raw = sample().to_dict()
    raw["date"] = "10/7/2018"
    with pytest.raises(ValueError, match=r"bulletin\.date"):
        BulletinData.from_dict(raw)


def test_unknown_field_and_newer_schema_refused():
    raw = sample().to_dict()
    raw["extra"] = 1
    with pytest.raises(ValueError, match="extra"):
        BulletinData.from_dict(raw)
    raw = sample().to_dict()
    raw["schema_version"] = 99
    with pytest.raises(ValueError, match="schema_version"):
        BulletinData.from_dict(raw)


def test_case_title():
    assert (
        case_title("某区某局", "副局长", "张某某", "违规公款吃喝")
        == "某区某局副局长张某某违规公款吃喝问题。"
    )
    assert (
        case_title("某村", "主任", "李某", "违规操办婚丧喜庆问题")
        == "某村主任李某违规操办婚丧喜庆问题。"
    )
