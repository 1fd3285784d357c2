"""Static checks of the Odoo add-ons that need no Odoo: what Odoo 18 would refuse at install.

pylint-odoo (manifests, Python) and the OCA module checks (XML, CSV, .po) run in
scripts/test.sh.  No linter catches attrs=/states= (refused by Odoo 17+), <tree>
instead of <list>, an access rule naming a model the add-on does not define, or an
incomplete translation: these are checked here.
"""

from __future__ import annotations

import ast
import csv
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

ADDONS = Path(__file__).resolve().parents[1] / "addons"
MODULES = sorted(p.parent for p in ADDONS.glob("*/__manifest__.py"))
REQUIRED_KEYS = {"name", "version", "license", "depends", "data", "author"}
#: Strings that read the same in Chinese.  OCA's po-pretty-format stores them with an empty
#: msgstr (Odoo then shows the source text), so the completeness check accepts that for these.
SAME_IN_CHINESE = {"ID", "PDF"}
# Models of Odoo itself that an access rule or a view of ours may name.
CORE_MODELS = {"res.users", "res.partner", "res.company", "res.config.settings"}

pytestmark = pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])


def manifest(module: Path) -> dict:
    return ast.literal_eval((module / "__manifest__.py").read_text(encoding="utf-8"))


def defined_models(module: Path) -> set[str]:
    names: set[str] = set()
    for path in module.rglob("*.py"):
        for match in re.finditer(
            r"""^\s+_(?:name|inherit)\s*=\s*["']([\w.]+)["']""",
            path.read_text(encoding="utf-8"),
            re.M,
        ):
            names.add(match.group(1))
    return names


def test_manifest_is_complete(module):
    data = manifest(module)
    assert data.keys() >= REQUIRED_KEYS, REQUIRED_KEYS - data.keys()
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", data["version"]), data["version"]
    assert data["license"] in {"LGPL-3", "AGPL-3", "GPL-3", "OPL-1"}
    for key in ("data", "demo", "assets"):
        files = data.get(key, {} if key == "assets" else [])
        if key == "assets":
            files = [f for bundle in files.values() for f in bundle if "*" not in f]
        for rel in files:
            assert (module / rel).is_file(), f"{key}: {rel} missing"


def test_every_data_file_is_listed(module):
    data = manifest(module)
    listed = set(data.get("data", [])) | set(data.get("demo", []))
    for path in module.rglob("*"):
        if path.suffix in (".xml", ".csv") and path.parent.name not in ("static", "tests"):
            rel = path.relative_to(module).as_posix()
            if not rel.startswith("static/"):
                assert rel in listed, f"{rel} is not in the manifest"


def test_xml_parses_and_uses_odoo18_idioms(module):
    ids: dict[str, Path] = {}
    for path in module.rglob("*.xml"):
        if "static" in path.parts:
            continue
        tree = ElementTree.parse(path)
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\battrs\s*=", text), f"{path.name}: attrs= is gone in Odoo 17+"
        assert not re.search(r"\bstates\s*=", text), f"{path.name}: states= is gone in Odoo 17+"
        assert "<tree" not in text, f"{path.name}: use <list>, not <tree>"
        for node in tree.iter("field"):
            if node.get("name") == "view_mode":
                assert "tree" not in (node.text or ""), f"{path.name}: view_mode with tree"
        for record in (n for tag in ("record", "menuitem", "template") for n in tree.iter(tag)):
            xml_id = record.get("id")
            if xml_id:
                assert xml_id not in ids, f"duplicate xml id {xml_id} in {path} and {ids[xml_id]}"
                ids[xml_id] = path


def test_access_rules_name_defined_models(module):
    models = defined_models(module) | CORE_MODELS
    access = module / "security" / "ir.model.access.csv"
    assert access.is_file()
    with access.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        model_ref = row["model_id:id"].split(".")[-1]
        assert model_ref.startswith("model_")
        dotted = {m for m in models if "model_" + m.replace(".", "_") == model_ref}
        assert dotted, f"access rule {row['id']} names unknown model {model_ref}"
        for perm in ("perm_read", "perm_write", "perm_create", "perm_unlink"):
            assert row[perm] in ("0", "1")


def test_python_compiles(module):
    for path in module.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def _po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po/.pot file (enough of the format for a completeness check)."""
    entries: dict[str, str] = {}
    key = msgid = msgstr = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgid "):
            if msgid is not None:
                entries[msgid] = msgstr or ""
            key, msgid, msgstr = "id", ast.literal_eval(line[6:]), ""
        elif line.startswith("msgstr "):
            key, msgstr = "str", ast.literal_eval(line[7:])
        elif line.startswith('"') and key == "id":
            msgid += ast.literal_eval(line)
        elif line.startswith('"') and key == "str":
            msgstr += ast.literal_eval(line)
    if msgid is not None:
        entries[msgid] = msgstr or ""
    entries.pop("", None)
    return entries


def test_zh_cn_translation_is_complete(module):
    i18n = module / "i18n"
    pot = _po_entries(i18n / f"{module.name}.pot")
    zh = _po_entries(i18n / "zh_CN.po")
    assert pot, "the .pot template is empty"
    missing = sorted(msgid for msgid in pot if not zh.get(msgid) and msgid not in SAME_IN_CHINESE)
    assert not missing, f"{len(missing)} strings without a Chinese translation: {missing[:10]}"
    for msgid, msgstr in zh.items():
        for placeholder in re.findall(r"%\(\w+\)s", msgid):
            assert placeholder in msgstr, (msgid, placeholder)
