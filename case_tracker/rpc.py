"""The RPC seam: one small interface between case_tracker and a running Odoo.

Today it is implemented with odoorpc (JSON-RPC).  Odoo 19's JSON-2 API
(POST /json/2/<model>/<method>, bearer key, named arguments) can slot in as a
second implementation without touching the importer or the statistics.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import Any, Protocol
from urllib.parse import urlparse

PASSWORD_ENV = "ODOO_PASSWORD"


class Connection(Protocol):
    def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any: ...

    @property
    def version(self) -> str: ...


class ConnectionError_(RuntimeError):
    """Connecting or logging in failed; the message says why, in Chinese and English."""


class ConnectionLost(ConnectionError_):
    """The server went away in the middle of a call (killed, restarted, network down)."""


class ServerError(ConnectionError_):
    """The server answered a call with an error (or with something that is no answer)."""


def password_from_env_or_prompt(login: str) -> str:
    """The password or API key: $ODOO_PASSWORD, else a prompt on the terminal; never argv."""
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin.isatty():
        raise ConnectionError_(
            f"未提供密码：请设置环境变量 {PASSWORD_ENV} / no password: set {PASSWORD_ENV}"
        )
    return getpass.getpass(f"Password or API key for {login} / 密码或API密钥: ")


class OdooRPCConnection:
    """An odoorpc session; every call goes to ``model.method`` with positional/named args."""

    def __init__(self, url: str, db: str, login: str, password: str, timeout: float = 600):
        import odoorpc

        self.url = url
        parsed = urlparse(url if "://" in url else f"http://{url}")
        protocol = "jsonrpc+ssl" if parsed.scheme == "https" else "jsonrpc"
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            self._odoo = odoorpc.ODOO(
                parsed.hostname, protocol=protocol, port=port, timeout=timeout
            )
            self._odoo.login(db, login, password)
        except odoorpc.error.RPCError as exc:
            raise ConnectionError_(f"登录失败 / login failed: {exc}") from exc
        except OSError as exc:
            raise ConnectionError_(f"无法连接 {url} / cannot connect: {exc}") from exc

    @property
    def version(self) -> str:
        return self._odoo.version

    def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        import http.client  # here, not at the top: commands that never connect skip its imports

        import odoorpc

        try:
            return self._odoo.execute_kw(model, method, list(args), kwargs)
        except odoorpc.error.RPCError as exc:
            raise ServerError(
                f"服务器 {self.url} 报错 / the server answered with an error: {exc}"
            ) from exc
        except json.JSONDecodeError as exc:
            raise ServerError(
                f"服务器 {self.url} 的应答无法读取 / unreadable answer from the server: {exc}"
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            # urllib's URLError (refused), RemoteDisconnected or a reset (the server died
            # mid-call), IncompleteRead, a timeout: the call may or may not have committed.
            reason = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
            raise ConnectionLost(
                f"与服务器 {self.url} 的连接中断 / lost the connection to the server: {reason}"
            ) from exc


def add_connection_arguments(parser: argparse.ArgumentParser, url_group=None) -> None:
    """--url/--db/--user, shared by every command that talks to Odoo (never a password)."""
    (url_group or parser).add_argument("--url", help="Odoo URL, e.g. http://127.0.0.1:8069")
    parser.add_argument("--db", help="database name / 数据库")
    parser.add_argument(
        "--user",
        help=f"login; the password or API key comes from {PASSWORD_ENV} "
        f"or a prompt / 登录名（密码取自环境变量{PASSWORD_ENV}或提示输入）",
    )


def connect(url: str, db: str, login: str, password: str | None = None) -> Connection:
    return OdooRPCConnection(url, db, login, password or password_from_env_or_prompt(login))


def server_domain(connection: Connection):
    """The domain definition the server uses (its categories, outcomes, ...), made active here.

    A deployment may have its own lists (``CASE_TRACKER_DOMAIN_FILE`` on the server):
    matching a register's spellings or labelling a bulletin on this machine must use
    the same lists as the server's constraints and statistics.
    """
    from case_tracker.domain import activate, parse

    domain = parse(connection.call("di.statistics", "domain_definition"))
    activate(domain)
    return domain
