"""The docker deployment: the compose file validates and refuses to start without secrets."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

DOCKER = Path(__file__).resolve().parents[1] / "docker"


def compose_command() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def run_config(env_file: Path | None) -> subprocess.CompletedProcess:
    command = compose_command()
    if command is None:
        pytest.skip("no docker compose client on this machine")
    args = [*command, "-f", str(DOCKER / "compose.yml")]
    if env_file is not None:
        args += ["--env-file", str(env_file)]
    return subprocess.run(
        [*args, "config"], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}
    )


def test_compose_validates_with_the_example_env():
    proc = run_config(DOCKER / ".env.example")
    assert proc.returncode == 0, proc.stderr
    assert "postgres:16" in proc.stdout
    assert "odoo-filestore" in proc.stdout and "db-data" in proc.stdout


def test_compose_refuses_to_run_without_secrets(tmp_path):
    empty = tmp_path / "empty.env"
    empty.write_text("")
    proc = run_config(empty)
    assert proc.returncode != 0
    assert "POSTGRES_PASSWORD" in proc.stderr


def test_dockerfile_copies_paths_that_exist():
    root = DOCKER.parent
    for line in (DOCKER / "Dockerfile").read_text().splitlines():
        match = re.match(r"COPY (.+) \S+$", line)
        if match:
            for source in match.group(1).split():
                assert (root / source).exists(), source


def test_no_secret_is_committed():
    assert not (DOCKER / ".env").exists() or ".env" in (DOCKER.parent / ".gitignore").read_text()
    for path in DOCKER.iterdir():
        if path.name != ".env.example" and path.is_file():
            text = path.read_text()
            assert not re.search(r"(?im)^\s*(admin_passwd|db_password)\s*=\s*\S", text), path
