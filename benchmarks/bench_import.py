"""Benchmark: bulk import into a live Odoo — this importer vs a naive RPC loop vs the bare ORM.

Run: ``python3 benchmarks/bench_import.py --problems 100000``
(Odoo 18 at ``$ODOO_PATH`` or ``/opt/odoo18``; local PostgreSQL; ``--from-db NAME`` copies an
already installed database instead of installing the add-on, ``--keep`` keeps the databases.)

It generates a register of N problems with their inspections, rectifications and handled
persons (the bundled sample city, tiled with renamed keys, so every row passes the same
validation as real data), writes it as CSV and measures, each into its own fresh copy of a
database with the add-on installed:

(a) this importer end to end: ``case-tracker import`` run in a fresh process as a user runs
    it (reading the files, validation, RPC batches, the server's upsert with every
    constraint); ``--jobs 2`` also runs it with two connections;
(b) a naive odoorpc loop: one ``search`` per business key and reference and one ``create``
    per record, on a sample of the same rows (``--naive-sample`` problems and theirs);
(c) the ORM in process: ``Model.create(vals_list)`` per kind inside ``odoo-bin shell``, the
    same records with ids already resolved (no RPC, no file reading, no upsert).

It prints records/s and problems/s of each and the ratios.  Speed is only ever measured
here, never asserted in the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import odoo_harness as harness  # noqa: E402

PASSWORD = harness.TEST_ADMIN_LOGIN  # a throw-away database's default admin password

# Run by `odoo-bin shell` (env is given); the register path comes in CT_BENCH_REGISTER.
ORM_SCRIPT = r"""
import json, os, time
from case_tracker.importer.register import read_register
from case_tracker.importer.client import DEFAULT_BATCH as BATCH, payload
from case_tracker.schema import KINDS
svc = env["di.import.service"]
from odoo.addons.discipline_inspection.models.di_import_service import TARGETS, _Lookups
register = read_register(sorted(os.environ["CT_BENCH_REGISTER"].split(os.pathsep)))
elapsed, total, kinds = 0.0, 0, {}
for kind in KINDS:
    rows = [payload(r, i) for i, r in enumerate(register.records[kind.key])]
    if not rows:
        continue
    model, _key = TARGETS[kind.key]
    Model = env[model].with_context(tracking_disable=True, mail_create_nolog=True,
                                    mail_notrack=True)
    lookups = _Lookups(env, kind.key, rows)
    started = time.perf_counter()
    if kind.key == "units":  # parents first, as the sample lists them
        for row in rows:
            Model.create(svc._values("units", row, _Lookups(env, "units", [row])))
    else:
        vals = [svc._values(kind.key, row, lookups) for row in rows]
        started = time.perf_counter()
        for start in range(0, len(vals), BATCH):  # batches, as the importer sends them
            Model.create(vals[start : start + BATCH])
            env.flush_all()
    env.flush_all()
    env.cr.commit()
    seconds = time.perf_counter() - started
    elapsed += seconds
    total += len(rows)
    kinds[kind.key] = [len(rows), seconds]
    env.invalidate_all()
print("CT_BENCH_ORM " + json.dumps({"records": total, "seconds": elapsed, "kinds": kinds}))
"""


def scaled_register(problems: int) -> dict[str, list[dict]]:
    """N problems with their inspections, rectifications and persons (sample tiled)."""
    from case_tracker.export import dataset_records
    from case_tracker.sample.generator import sample_dataset

    base = dataset_records(sample_dataset())
    copies = math.ceil(problems / len(base["problems"]))
    out: dict[str, list[dict]] = {k: [] for k in base}
    out["units"] = list(base["units"])
    for copy in range(copies):

        def key(ref: str, copy: int = copy) -> str:
            return ref if copy == 0 else f"{ref}-{copy}"

        wanted = base["problems"][: problems - len(out["problems"])]
        refs = {p["ref"] for p in wanted}
        inspections = {p["inspection_ref"] for p in wanted if p["inspection_ref"]}
        for row in base["inspections"]:
            if row["ref"] in inspections:
                out["inspections"].append({**row, "ref": key(row["ref"])})
        for row in wanted:
            ref = row["inspection_ref"]
            out["problems"].append(
                {**row, "ref": key(row["ref"]), "inspection_ref": key(ref) if ref else ""}
            )
        for row in base["rectifications"]:
            if row["problem_ref"] in refs:
                out["rectifications"].append({**row, "problem_ref": key(row["problem_ref"])})
        for row in base["persons"]:
            if set(row["problem_refs"]) <= refs:
                out["persons"].append(
                    {
                        **row,
                        "ref": key(row["ref"]),
                        "identity": key(row["identity"]) if row["identity"] else "",
                        "problem_refs": tuple(key(r) for r in row["problem_refs"]),
                    }
                )
    return out


def settle() -> None:
    """Write out what the previous phase left in PostgreSQL's buffers before the next is
    timed: otherwise a checkpoint of the previous phase's rows may land in the next one's
    time. Needs a superuser role, as the local test cluster gives; skipped otherwise.
    """
    with contextlib.suppress(subprocess.CalledProcessError):
        harness.psql("CHECKPOINT")


def cli_import(
    url: str, db: str, paths: list[Path], jobs: int, batch_size: int | None
) -> tuple[float, str]:
    """``case-tracker import`` as a user runs it: a fresh process (nothing read or remembered
    yet), the password from the environment. Returns its wall time and its summary line.
    """
    command = [sys.executable, "-c", "from case_tracker.cli import entry; entry()", "import"]
    command += [*map(str, paths), "--url", url, "--db", db, "--user", harness.TEST_ADMIN_LOGIN]
    command += ["--jobs", str(jobs)]
    if batch_size:
        command += ["--batch-size", str(batch_size)]
    env = {**os.environ, "ODOO_PASSWORD": PASSWORD, "PYTHONPATH": str(REPO)}
    settle()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(
            f"case-tracker import failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    summary = [line for line in done.stdout.splitlines() if "created" in line]
    return seconds, (summary[-1] if summary else "").strip()


def warm_workers(url: str, db: str, workers: int) -> None:
    """Every prefork worker loads the database's registry once, at its first request for it;
    a running server has done so long before an import (logins at once, several per worker)."""
    from concurrent.futures import ThreadPoolExecutor

    from case_tracker.rpc import OdooRPCConnection

    def login(_n: int) -> None:
        OdooRPCConnection(url, db, harness.TEST_ADMIN_LOGIN, PASSWORD).call(
            "res.users", "context_get"
        )

    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        list(pool.map(login, range(workers * 4)))


def naive_import(url: str, db: str, register, problems: int) -> tuple[int, float]:
    """One search per key/reference and one create per record, as a simple script does."""
    import odoorpc

    from case_tracker.importer.client import payload
    from case_tracker.schema import KINDS

    host, port = url.rsplit(":", 1)
    odoo = odoorpc.ODOO(host.split("//")[1], port=int(port), timeout=600)
    odoo.login(db, harness.TEST_ADMIN_LOGIN, PASSWORD)
    refs = {r.values["ref"] for r in register.records["problems"][:problems]}
    chosen = {
        "units": register.records["units"],
        "problems": [r for r in register.records["problems"] if r.values["ref"] in refs],
        "rectifications": [
            r for r in register.records["rectifications"] if r.values["problem_ref"] in refs
        ],
        "persons": [
            r for r in register.records["persons"] if set(r.values["problem_refs"]) <= refs
        ],
    }
    insp = {r.values.get("inspection_ref") for r in chosen["problems"]}
    chosen["inspections"] = [r for r in register.records["inspections"] if r.values["ref"] in insp]
    models = {kind.key: kind.model for kind in KINDS} | {
        "categories": "di.category",
        "grades": "di.grade",
        "followups": "di.followup",
        "ranks": "di.rank",
        "outcomes": "di.outcome",
    }
    keys = {"units": "code", "categories": "code", "grades": "code", "followups": "code"}
    keys |= {"ranks": "code", "outcomes": "code"}

    def find(target: str, value: str) -> int | bool:
        if not value:
            return False
        ids = odoo.execute(models[target], "search", [(keys.get(target, "ref"), "=", value)])
        return ids[0] if ids else False

    count = 0
    started = time.perf_counter()
    for kind in KINDS:
        for record in chosen[kind.key]:
            row = payload(record, 0)
            if kind.key == "units":
                vals = {"code": row["code"], "name": row["name"], "kind": row.get("kind")}
                vals["parent_id"] = find("units", row.get("parent_code"))
                key = ("code", "=", row["code"])
            elif kind.key == "inspections":
                vals = {k: row.get(k) or False for k in ("ref", "date", "end_date", "method")}
                vals["unit_ids"] = [(6, 0, [find("units", c) for c in row["unit_codes"]])]
                vals["topic"], vals["team"] = row.get("topic") or False, row.get("team") or False
                key = ("ref", "=", row["ref"])
            elif kind.key == "problems":
                vals = {
                    "ref": row["ref"],
                    "inspection_id": find("inspections", row.get("inspection_ref")),
                    "unit_id": find("units", row["unit_code"]),
                    "category_id": find("categories", row["category"]),
                    "description": row["description"],
                    "discovery_date": row["discovery_date"],
                    "exposed": bool(row.get("exposed")),
                    "exposure_channel": row.get("exposure_channel") or False,
                    "exposure_date": row.get("exposure_date") or False,
                    "amount": row.get("amount") or 0.0,
                }
                key = ("ref", "=", row["ref"])
            elif kind.key == "rectifications":
                problem = find("problems", row["problem_ref"])
                vals = {
                    "problem_id": problem,
                    "deadline": row["deadline"],
                    "state": row["state"],
                    "finish_date": row.get("finish_date") or False,
                    "grade_id": find("grades", row.get("grade")),
                    "evaluation_date": row.get("evaluation_date") or False,
                    "followup_ids": [
                        (6, 0, [find("followups", c) for c in row.get("followups", ())])
                    ],
                    "measures": row.get("measures") or False,
                }
                key = ("problem_id", "=", problem)
            else:
                vals = {
                    "ref": row["ref"],
                    "name": row["name"],
                    "identity": row.get("identity") or False,
                    "unit_id": find("units", row["unit_code"]),
                    "rank_id": find("ranks", row["rank"]),
                    "party_member": bool(row["party_member"]),
                    "problem_ids": [(6, 0, [find("problems", r) for r in row["problem_refs"]])],
                    "outcome_ids": [(6, 0, [find("outcomes", c) for c in row["outcomes"]])],
                    "decision_date": row["decision_date"],
                }
                key = ("ref", "=", row["ref"])
            model = models[kind.key]
            if not odoo.execute(model, "search", [key]):
                record = odoo.execute(model, "create", vals)
                if kind.key in ("problems", "persons"):  # registered by their action, as in the UI
                    odoo.execute(model, "action_confirm", [record])
            count += 1
    return count, time.perf_counter() - started


def orm_import(
    odoo: harness.OdooInstall, db: str, paths: list[Path], code: Path | None = None
) -> dict:
    """The ORM's create in process, per kind: {"records", "seconds", "kinds": {kind: [n, s]}}.

    ``code``: a checkout whose add-on and package to run instead of this one (the baseline).
    """
    command, env = with_code(
        odoo,
        odoo.command("-d", db, "--no-http", "--log-level=warn", subcommand="shell"),
        code,
    )
    env["CT_BENCH_REGISTER"] = os.pathsep.join(map(str, paths))
    settle()
    proc = subprocess.run(command, input=ORM_SCRIPT, text=True, capture_output=True, env=env)
    for line in proc.stdout.splitlines():
        if line.startswith("CT_BENCH_ORM "):
            return json.loads(line.split(" ", 1)[1])
    raise RuntimeError(f"odoo shell failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


def with_code(
    odoo: harness.OdooInstall, command: list[str], code: Path | None
) -> tuple[list[str], dict]:
    """An odoo-bin command and its environment running the add-on and package of ``code``."""
    env = dict(odoo.env)
    if code is None:
        return command, env
    ours = str(harness.ADDONS)
    command = [
        part.replace(ours, str(code / "addons")) if part.startswith("--addons-path=") else part
        for part in command
    ]
    env["PYTHONPATH"] = str(code)
    return command, env


def checkout(ref: str, folder: Path) -> Path:
    """The add-on and package of a git ref, extracted into ``folder`` (the baseline)."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref, "addons", "case_tracker"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def install_code(odoo: harness.OdooInstall, db: str, code: Path, log: Path) -> None:
    """Install the add-on of ``code`` into a fresh database."""
    harness.drop_db(db)
    command, env = with_code(
        odoo,
        odoo.command(
            "-d",
            db,
            "-i",
            harness.MODULE,
            "--stop-after-init",
            "--without-demo=all",
            "--http-port=0",
            "--log-level=warn",
        ),
        code,
    )
    with log.open("w") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    if done.returncode:
        raise RuntimeError(f"installing the baseline's add-on failed; see {log}")


def print_kinds(label: str, result: dict, before: dict | None = None) -> None:
    """Records/s per kind (and the ratio to the baseline's)."""
    for kind, (n, seconds) in result["kinds"].items():
        rate = n / seconds if seconds else 0.0
        line = f"    {label} {kind:<15}{n:>8} records {seconds:7.1f} s {rate:>9,.0f}/s"
        if before and kind in before["kinds"]:
            n0, s0 = before["kinds"][kind]
            if s0 and seconds:
                line += f"  ({rate / (n0 / s0):.2f}x the baseline)"
        print(line, flush=True)


def prepare(odoo: harness.OdooInstall, name: str, source: str | None, log: Path) -> None:
    if source:
        harness.copy_db(source, name)
        return
    result = harness.install(odoo, name, with_tests=False, log_file=log)
    if result.returncode != 0:
        raise RuntimeError(f"installing the add-on failed; see {log}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=20000)
    parser.add_argument("--naive-sample", type=int, default=100, metavar="N")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="also run the importer with N connections (an Odoo serving requests in parallel)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="also run the importer with --jobs N against an Odoo with this many prefork "
        "workers (how a production server runs)",
    )
    parser.add_argument("--from-db", help="an installed database to copy (else install fresh)")
    parser.add_argument(
        "--skip", default="", help="comma list of parts to skip: importer,naive,orm"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--baseline",
        metavar="REF",
        help="also measure the ORM create of this git ref's add-on (e.g. main): before/after",
    )
    parser.add_argument("--tag", help="prefix of the databases made (default imp_bench_<random>)")
    args = parser.parse_args(argv)

    odoo, reason = harness.find_odoo()
    if odoo is None:
        print(reason, file=sys.stderr)
        return 2
    harness.ensure_case_tracker(odoo)
    from case_tracker.export import write_register
    from case_tracker.importer.register import read_register

    tag = args.tag or f"imp_bench_{uuid.uuid4().hex[:6]}"
    work = Path(tempfile.mkdtemp(prefix="ct-bench-"))
    template = f"{tag}_tpl"
    dbs = [template]
    try:
        print(f"preparing {template} ...", flush=True)
        prepare(odoo, template, args.from_db, work / "install.log")
        register_rows = scaled_register(args.problems)
        paths = write_register(register_rows, work / "register", "csv")
        counts = {k: len(v) for k, v in register_rows.items()}
        print(f"register: {counts} ({sum(counts.values())} records) in {work}", flush=True)
        skip = set(args.skip.split(","))
        started = time.perf_counter()
        register = read_register(paths)
        read_seconds = time.perf_counter() - started
        assert not register.issues, register.issues[:5]
        results = {}
        server = harness.OdooServer(odoo, f"{tag}_.*", work / "server.log").start()
        try:
            if "importer" not in skip:
                for jobs in sorted({1, args.jobs}):
                    db = f"{tag}_a{jobs}"
                    dbs.append(db)
                    harness.copy_db(template, db)
                    seconds, output = cli_import(server.url, db, paths, jobs, args.batch_size)
                    total = register.count()
                    results["importer" if jobs == 1 else f"importer{jobs}"] = (
                        total,
                        seconds,
                        args.problems,
                    )
                    print(
                        f"(a) importer end to end, `case-tracker import --jobs {jobs}` in a fresh "
                        f"process: {total} records in {seconds:.1f} s (reading and validating "
                        f"alone {read_seconds:.1f} s): {total / seconds:,.0f} records/s, "
                        f"{args.problems / seconds:,.0f} problems/s; {output}",
                        flush=True,
                    )
            if "naive" not in skip:
                db = f"{tag}_b"
                dbs.append(db)
                harness.copy_db(template, db)
                n, seconds = naive_import(server.url, db, register, args.naive_sample)
                results["naive"] = (n, seconds, args.naive_sample)
                print(
                    f"(b) naive one-record-per-call loop: {n} records in {seconds:.1f} s: "
                    f"{n / seconds:,.0f} records/s",
                    flush=True,
                )
        finally:
            server.stop()
        if "importer" not in skip and args.workers:
            jobs = max(args.jobs, args.workers)
            db = f"{tag}_w{args.workers}"
            dbs.append(db)
            harness.copy_db(template, db)
            log = work / "server-workers.log"
            server = harness.OdooServer(odoo, f"{tag}_.*", log, workers=args.workers).start()
            try:
                warm_workers(server.url, db, args.workers)
                seconds, output = cli_import(server.url, db, paths, jobs, args.batch_size)
            finally:
                server.stop()
            total = register.count()
            results[f"importer{jobs} (odoo --workers {args.workers})"] = (
                total,
                seconds,
                args.problems,
            )
            print(
                f"(a) importer end to end, `case-tracker import --jobs {jobs}` against "
                f"`odoo-bin --workers {args.workers}`: {total} records in {seconds:.1f} s: "
                f"{total / seconds:,.0f} records/s, {args.problems / seconds:,.0f} problems/s; "
                f"{output}",
                flush=True,
            )
        before = None
        if "orm" not in skip and args.baseline:
            db = f"{tag}_base"
            dbs.append(db)
            code = checkout(args.baseline, work / "baseline")
            install_code(odoo, db, code, work / "baseline-install.log")
            before = orm_import(odoo, db, paths, code)
            n, seconds = before["records"], before["seconds"]
            print(
                f"(c0) in-process ORM batch create, baseline {args.baseline}: {n} records in "
                f"{seconds:.1f} s: {n / seconds:,.0f} records/s",
                flush=True,
            )
            print_kinds("before", before)
        if "orm" not in skip:
            db = f"{tag}_c"
            dbs.append(db)
            harness.copy_db(template, db)
            after = orm_import(odoo, db, paths)
            n, seconds = after["records"], after["seconds"]
            results["orm"] = (n, seconds, args.problems)
            print(
                f"(c) in-process ORM batch create: {n} records in {seconds:.1f} s: "
                f"{n / seconds:,.0f} records/s"
                + (
                    f" ({n / seconds / (before['records'] / before['seconds']):.2f}x the baseline)"
                    if before
                    else ""
                ),
                flush=True,
            )
            print_kinds("after ", after, before)
        rate = {k: n / s for k, (n, s, _p) in results.items()}
        if "naive" in rate and "importer" in rate:
            print(f"importer / naive: {rate['importer'] / rate['naive']:.0f}x")
        for key in sorted(k for k in rate if k.startswith("importer")):
            if "orm" in rate:
                jobs = key.removeprefix("importer") or "1"
                print(
                    f"ORM / importer (--jobs {jobs}): {rate['orm'] / rate[key]:.2f}x "
                    "(target <= 1.2)"
                )
    finally:
        if not args.keep:
            for db in dbs:
                harness.drop_db(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
