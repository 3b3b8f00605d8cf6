"""Who may do what: accounts with a role, kept in a TOML file beside the database ($DISCLOSURE_ACCOUNTS,
default data/accounts.toml, never committed). Passwords are stored only as salted scrypt hashes.

No accounts file means one person on their own machine: the app runs open, and says so on every page.
Roles: 管理员 (admin) everything; 填报人员 (uploader) imports, corrections and undo for the agencies assigned
to them only; 查看者 (viewer) reads.
"""
from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from disclosure.config import DATA_DIR
from disclosure.contract.agencies import folded_key
from disclosure.issues import Refusal

ROLES = {"admin": "管理员", "uploader": "填报人员", "viewer": "查看者"}
# scrypt cost: about 50 ms per check on an office machine, slow enough to make guessing expensive
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
MAX_DELAY_S = 30.0  # the longest a login waits after repeated failures
SESSION_HOURS = 12  # a working day: after it the browser logs in again


class AccountError(Refusal):
    """A refused account change or a broken accounts file; the message is Chinese and names the problem."""

    code = "account"


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    agencies: tuple[tuple[str, str], ...] = field(default=())  # (agency name, region path) an uploader may change
    regions: tuple[str, ...] = field(default=())  # region paths this account may see, with all below; () = all

    @property
    def role_zh(self) -> str:
        return ROLES[self.role]

    @property
    def writes(self) -> bool:
        return self.role in ("admin", "uploader")

    def sees(self, region: str) -> bool:
        """Whether this account may see the data of `region` (a path): every region, unless it is limited to some
        (a county leader to that county, and everything below it)."""
        return not self.regions or any(region == r or region.startswith(r + "/") for r in self.regions)

    @property
    def scope_zh(self) -> str:
        return "、".join(self.regions) if self.regions else "全部地区"

    def may_change(self, agency: str, region: str) -> bool:
        """Whether this account may import, replace or undo reports of the agency (any spelling of its name:
        海青乡人民政府 = 海青乡)."""
        return self.role == "admin" or (self.role == "uploader" and any(
            folded_key(agency) == folded_key(a) and region == r for a, r in self.agencies))


def local_admin() -> Account:
    """Who acts when there is no accounts file: the system user, as 管理员."""
    return Account(getpass.getuser() or "本机用户", "admin")


def path() -> Path:
    return Path(os.environ.get("DISCLOSURE_ACCOUNTS") or DATA_DIR / "accounts.toml")


def is_open() -> bool:
    """No accounts file: one person on their own machine, no login."""
    return not path().exists()


def load(file: Path | None = None) -> dict[str, tuple[Account, str]]:
    """Every account with its password hash, by name."""
    file = file or path()
    if not file.exists():
        return {}
    try:
        data = tomllib.loads(file.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise AccountError(f"账户文件 {file} 已损坏，无法读取（{e}）；没有人能登录。请管理员用备份恢复它"
                           f"（python -m disclosure restore），或改正文件中的错误后刷新页面。", file=str(file)) from e
    out = {}
    for name, entry in data.get("users", {}).items():
        role = entry.get("role")
        if role not in ROLES or not isinstance(entry.get("password"), str):
            raise AccountError(f"账户文件 {file} 中用户「{name}」的角色或密码无效；没有人能登录。请管理员改正这一项"
                               f"（python -m disclosure user remove 后重新 user add），或用备份恢复。", file=str(file))
        agencies = tuple(parse_agency(a) for a in entry.get("agencies", []))
        regions = tuple(parse_region(r) for r in entry.get("regions", []))
        out[name] = (Account(name, role, agencies, regions), entry["password"])
    return out


def parse_agency(text: str) -> tuple[str, str]:
    """「城关镇@示例省/示例市/示例县」 -> (城关镇, 示例省/示例市/示例县)."""
    name, sep, region = text.partition("@")
    if not sep or not name.strip() or not region.strip():
        raise AccountError(f"单位「{text}」应写成 单位名称@所属地区，例如 城关镇@示例省/示例市/示例县")
    return name.strip(), region.strip().strip("/")


def parse_region(text: str) -> str:
    """「示例省/示例市/示例县」, spaces and outer slashes dropped."""
    path = "/".join(part.strip() for part in str(text).strip().strip("/").split("/"))
    if not path or "//" in path:
        raise AccountError(f"地区「{text}」应写成完整路径，例如 示例省/示例市/示例县")
    return path


def add(name: str, role: str, password: str, agencies: list[str] = (), file: Path | None = None,
        regions: list[str] = ()) -> Account:
    accounts = load(file)
    name = name.strip()
    if not name:
        raise AccountError("用户名不能为空")
    if name in accounts:
        raise AccountError(f"用户「{name}」已存在；修改密码用 user passwd")
    account = _account(name, role, agencies, regions)
    accounts[name] = (account, hash_password(password))
    _save(accounts, file)
    return account


def update(name: str, role: str, agencies: list[str] = (), regions: list[str] = (),
           file: Path | None = None) -> Account:
    """A new role, agencies or regions for an account (its password kept); the last 管理员 stays one."""
    accounts = load(file)
    if name not in accounts:
        raise AccountError(f"没有用户「{name}」")
    account = _account(name, role, agencies, regions)
    if role != "admin" and _admins(accounts) == {name}:
        raise AccountError(f"「{name}」是唯一的管理员，不能改为其他角色：请先把另一个账户设为管理员")
    accounts[name] = (account, accounts[name][1])
    _save(accounts, file)
    return account


def _account(name: str, role: str, agencies, regions) -> Account:
    if role not in ROLES:
        raise AccountError(f"角色「{role}」无效，应为 {'、'.join(ROLES)}")
    pairs = tuple(parse_agency(a) for a in agencies)
    if role == "uploader" and not pairs:
        raise AccountError("填报人员至少要分配一个单位（单位名称@所属地区）")
    if role != "uploader" and pairs:
        raise AccountError("只有填报人员（uploader）分配单位")
    scope = tuple(dict.fromkeys(parse_region(r) for r in regions))
    if role == "admin" and scope:
        raise AccountError("管理员可以查看全部地区，不限定地区")
    return Account(name, role, pairs, scope)


def _admins(accounts: dict[str, tuple[Account, str]]) -> set[str]:
    return {n for n, (a, _) in accounts.items() if a.role == "admin"}


def remove(name: str, file: Path | None = None) -> None:
    accounts = load(file)
    if name not in accounts:
        raise AccountError(f"没有用户「{name}」")
    del accounts[name]
    _save(accounts, file)


def passwd(name: str, password: str, file: Path | None = None) -> None:
    accounts = load(file)
    if name not in accounts:
        raise AccountError(f"没有用户「{name}」")
    accounts[name] = (accounts[name][0], hash_password(password))
    _save(accounts, file)


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise AccountError("密码至少 8 个字符")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT)
    return "scrypt$" + "$".join(base64.b64encode(b).decode("ascii") for b in (salt, digest))


# What a password is checked against when the user name is unknown: a hash of the same cost, so an unknown name
# takes as long to refuse as a known name with a wrong password (no list of user names from response times). No
# one can log in with it: an unknown name is refused whatever the password.
_NO_SUCH_USER = ("scrypt$jZ4DENDTgrJxuMW2pf/70w==$"
                 "GY3VVsD9eAIbt5ATCblE7zKm6SuppQL1frIoHxnWb7qrrCHyqLRvgzSOKuma/gFE+EfQWPeOaT9HAM7PaV6KVA==")


def _salt_and_digest(stored: str) -> tuple[bytes, bytes] | None:
    try:
        scheme, salt, digest = stored.split("$")
        return (base64.b64decode(salt, validate=True), base64.b64decode(digest, validate=True)) \
            if scheme == "scrypt" else None
    except ValueError:
        return None


def _matches(password: str, stored: str) -> bool:
    """Whether the password is the one `stored` was made from: one scrypt computation whatever `stored` holds (a
    malformed entry is checked against the dummy hash and refused), so every refusal costs the same."""
    parts = _salt_and_digest(stored)
    salt, digest = parts or _salt_and_digest(_NO_SUCH_USER)
    return hmac.compare_digest(hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT), digest) \
        and parts is not None


def verify(name: str, password: str, file: Path | None = None) -> Account | None:
    """The account when the password matches, else None; one scrypt check either way, known name or not."""
    entry = load(file).get(name)
    ok = _matches(password, entry[1] if entry is not None else _NO_SUCH_USER)
    return entry[0] if ok and entry is not None else None


def _delay(failures: int) -> float:
    return 0.0 if failures == 0 else min(2.0 ** (failures - 1), MAX_DELAY_S)


class Throttle:
    """Repeated failed logins for a name wait longer each time: 1, 2, 4 … up to MAX_DELAY_S seconds, until a
    success. Shared by every session of the process.

    An attempt is counted as a failure before its password is checked, in one step with reading the count: so
    attempts made at the same moment each count (twelve at once count twelve, and wait 0, 1, 2, 4 … seconds in
    turn), instead of all reading the same count before any has failed."""

    def __init__(self, sleep=time.sleep):
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()
        self._sleep = sleep

    def delay(self, name: str) -> float:
        """How long the next attempt for this name will wait."""
        with self._lock:
            return _delay(self._failures.get(name, 0))

    def failures(self, name: str) -> int:
        with self._lock:
            return self._failures.get(name, 0)

    def login(self, name: str, password: str, file: Path | None = None, on_wait=None) -> Account | None:
        """The account when the password matches, else None — after the wait earlier attempts earned (told to
        `on_wait(seconds)` first, so the page can say why it waits)."""
        with self._lock:
            earlier = self._failures.get(name, 0)
            self._failures[name] = earlier + 1
        wait = _delay(earlier)
        if wait and on_wait is not None:
            on_wait(wait)
        self._sleep(wait)
        signed_in = verify(name, password, file)
        if signed_in is not None:
            with self._lock:
                self._failures.pop(name, None)
        return signed_in


@dataclass(frozen=True)
class _Token:
    name: str
    fingerprint: str  # of the password hash at login: a new password ends the session
    role: str  # at login: a changed role ends the session too, the user logs in again as what they now are
    expires: float


def _fingerprint(stored_hash: str) -> str:
    return hashlib.sha256(stored_hash.encode("utf-8")).hexdigest()


class Sessions:
    """Signed-in browsers, so a reload or a new tab need not log in again: a random token per login (kept by
    the browser as a cookie and by each tab) and, here in the server's memory, whose it is and until when. Every
    run of every tab asks again (`account`): a token ends with its logout, after SESSION_HOURS, when the server
    restarts, and — all of the account's tokens — when its password or role changes or it is removed."""

    def __init__(self, clock=time.monotonic):
        self._tokens: dict[str, _Token] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def open(self, name: str, file: Path | None = None) -> str:
        token = secrets.token_urlsafe(32)
        account, stored = load(file)[name]
        with self._lock:
            now = self._clock()
            self._tokens = {t: v for t, v in self._tokens.items() if v.expires > now}  # forget the ended ones
            self._tokens[token] = _Token(name, _fingerprint(stored), account.role, now + SESSION_HOURS * 3600)
        return token

    def account(self, token: str | None, file: Path | None = None) -> Account | None:
        """The account a token stands for, as the accounts file says now; None when the token has ended."""
        with self._lock:
            held = self._tokens.get(token or "")
            if held is not None and held.expires <= self._clock():
                del self._tokens[token]
                held = None
        if held is None:
            return None
        entry = load(file).get(held.name)
        if entry is not None and hmac.compare_digest(_fingerprint(entry[1]), held.fingerprint) \
                and entry[0].role == held.role:
            return entry[0]
        with self._lock:  # every token of the account from before the change ends with this one
            self._tokens = {t: v for t, v in self._tokens.items()
                            if v.name != held.name or (entry is not None and v.fingerprint == _fingerprint(entry[1])
                                                       and v.role == entry[0].role)}
        return None

    def close(self, token: str | None) -> None:
        """A logout: this token only (the user's other browsers stay logged in)."""
        with self._lock:
            self._tokens.pop(token or "", None)

    def count(self) -> int:
        """How many tokens are held (ended ones included until the next login sweeps them)."""
        with self._lock:
            return len(self._tokens)


def _save(accounts: dict[str, tuple[Account, str]], file: Path | None) -> None:
    """Written whole to a temporary file, then renamed over the old one: a crash never leaves half a file."""
    file = file or path()
    lines = ["# 政务公开年报分析平台 账户（由 python -m disclosure user 维护；密码只存 scrypt 哈希）", ""]
    for account, password in accounts.values():
        lines += [f"[users.{json.dumps(account.name, ensure_ascii=False)}]",
                  f"role = {json.dumps(account.role)}",
                  f"password = {json.dumps(password)}"]
        if account.agencies:
            listed = ", ".join(json.dumps(f"{a}@{r}", ensure_ascii=False) for a, r in account.agencies)
            lines.append(f"agencies = [{listed}]")
        if account.regions:
            lines.append(f"regions = [{', '.join(json.dumps(r, ensure_ascii=False) for r in account.regions)}]")
        lines.append("")
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, file)
