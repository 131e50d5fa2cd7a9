"""Redaction: nothing secret reaches a trace row, a JSONL line or an API answer.

Two nets, both applied before anything is stored:

* key names — normalised (lowercase, non-alphanumerics and trailing digits dropped) and matched
  exactly or by a small set of suffixes, so ``X-Api-Key``, ``private_key`` and ``db_password``
  are caught while ``author``, ``authority``, ``tokenizer_name`` and ``max_tokens`` are not;
* string values — one precompiled regex finds secret shapes anywhere in free text (bearer
  tokens, JWTs, provider keys, PEM private keys, passwords in URLs, ``password=…`` pairs,
  Luhn-valid card numbers, SSNs).

A replaced value reads ``[REDACTED:<kind>]``. Values JSON cannot carry are turned into text
first (``repr`` for unknown objects) and that text is redacted too, so nothing passes raw.
This runs on the recorder's hot path: the regex is compiled once and key verdicts are cached.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import json
import re
import uuid

from traces.choices import SUMMARY_MAX_CHARS

# Deeper structures are cut, not walked: a trace summary never needs them and a cycle must end.
MAX_DEPTH = 12


def marker(kind: str) -> str:
    return f"[REDACTED:{kind}]"


# --- key names -------------------------------------------------------------------------------
# Exact normalised names and the kind each one names.
_SECRET_KEYS = {
    "apikey": "api_key",
    "xapikey": "api_key",
    "apitoken": "api_key",
    "token": "token",
    "accesstoken": "token",
    "refreshtoken": "token",
    "idtoken": "token",
    "authtoken": "token",
    "bearer": "token",
    "bearertoken": "token",
    "sessiontoken": "token",
    "csrftoken": "token",
    "xcsrftoken": "token",
    "secret": "secret",
    "clientsecret": "secret",
    "secretkey": "secret",
    "secretaccesskey": "secret",
    "awssecretaccesskey": "secret",
    "signingkey": "secret",
    "signingsecret": "secret",
    "webhooksecret": "secret",
    "password": "password",
    "passwd": "password",
    "pwd": "password",
    "passphrase": "password",
    "pass": "password",
    "authorization": "authorization",
    "proxyauthorization": "authorization",
    "auth": "credentials",
    "credential": "credentials",
    "credentials": "credentials",
    "cookie": "cookie",
    "cookies": "cookie",
    "setcookie": "cookie",
    "session": "session",
    "sessionid": "session",
    "sessionkey": "session",
    "privatekey": "private_key",
    "ssn": "ssn",
    "socialsecuritynumber": "ssn",
    "creditcard": "card_number",
    "creditcardnumber": "card_number",
    "cardnumber": "card_number",
    "ccnumber": "card_number",
    "pan": "card_number",
    "cvv": "card_cvv",
    "cvc": "card_cvv",
    "cvv2": "card_cvv",
    "securitycode": "card_cvv",
}
# Suffixes that keep their meaning after any prefix (``db_password``, ``slack_bot_token``,
# ``stripe_secret``, ``x-goog-api-key``). Deliberately absent: ``key`` (``sort_key``, ``tier
# key``), ``auth`` (``oauth_provider``), ``secret`` as a *substring* (``secretary``), and plural
# ``tokens`` (``max_tokens`` counts tokens; it is not one).
_SECRET_SUFFIXES = (
    ("apikey", "api_key"),
    ("apitoken", "api_key"),
    ("accesskey", "secret"),
    ("secretkey", "secret"),
    ("privatekey", "private_key"),
    ("token", "token"),
    ("secret", "secret"),
    ("password", "password"),
    ("passwd", "password"),
    ("passphrase", "password"),
    ("cookie", "cookie"),
    ("sessionid", "session"),
    ("authorization", "authorization"),
    ("cardnumber", "card_number"),
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=4096)
def secret_key_kind(key: str) -> str | None:
    """The kind of secret a mapping key names, or None. ``X-Api-Key`` → ``api_key``."""
    name = _NOT_ALNUM.sub("", key.lower())
    kind = _SECRET_KEYS.get(name)
    if kind is not None:
        return kind
    name = name.rstrip("0123456789")  # password2, token_1
    kind = _SECRET_KEYS.get(name)
    if kind is not None:
        return kind
    for suffix, kind in _SECRET_SUFFIXES:
        if name.endswith(suffix):
            return kind
    # "password" anywhere (new_password_confirmation) is never innocent in a tool input.
    if "password" in name or "passwd" in name:
        return "password"
    return None


# --- values ----------------------------------------------------------------------------------
# One alternation, each branch one named group, most specific first. ``lastgroup`` names the
# branch that matched (every branch is a single outer group).
_KV_KEY = (
    r"[A-Za-z0-9_\-]*(?:pass(?:word|wd|phrase)?|pwd|secret|api[_\-]?key|token|"
    r"auth(?:orization)?|cookie|session[_\-]?id|ssn|cvv|private[_\-]?key)[A-Za-z0-9_\-]*"
)
_SCAN = re.compile(
    "|".join(
        (
            # PEM private keys, also when a cut left the END line off.
            r"(?P<private_key>-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
            r"[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z))",
            # scheme://user:password@host — the user stays, the password goes.
            r"(?P<url_password>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@]*:[^\s@/]+@)",
            r"(?P<slack_webhook>https://hooks\.slack\.com/services/[A-Za-z0-9/_\-]+)",
            r"(?P<jwt>\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*)",
            # A header line: everything after the colon is the credential.
            r"(?P<header>(?m:^)[ \t]*(?i:(?:proxy-)?authorization|set-cookie|cookie|"
            r"x-api-key|api-key)[ \t]*:[^\r\n]+)",
            r"(?P<bearer>\b(?i:bearer|basic|digest)\s+[A-Za-z0-9\-._~+/]{12,}=*)",
            r"(?P<api_key>\b(?:sk-(?:proj-|ant-|live-)?[A-Za-z0-9_\-]{16,}"
            r"|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}"
            r"|xox[abposr]-[A-Za-z0-9\-]{10,}"
            r"|(?:AKIA|ASIA)[0-9A-Z]{16}"
            r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}"
            r"|AIza[0-9A-Za-z_\-]{35}"
            r"|SG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,})\b)",
            # key=value / key: value / "key": "value" in free text, query strings and JSON text;
            # the key decides (``max_tokens=5`` stays).
            r"(?P<pair>(?P<pair_key>" + _KV_KEY + r")(?P<pair_sep>[\"']?[ \t]*[:=][ \t]*[\"']?)"
            r"(?P<pair_value>(?:(?i:bearer|basic|token|digest)[ \t]+)?[^\s\"'&,;<>]+))",
            r"(?P<card_number>\b[2-6]\d{3}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7}\b)",
            r"(?P<ssn>\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b)",
        )
    )
)
# Strings this short cannot hold any shape above.
_MIN_SCAN_LEN = 8


def _luhn_ok(digits: str) -> bool:
    total = 0
    parity = len(digits) % 2
    for i, ch in enumerate(digits):
        d = ord(ch) - 48
        if i % 2 == parity:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _replace(match: re.Match) -> str:
    kind = match.lastgroup
    if kind == "pair":
        key_kind = secret_key_kind(match.group("pair_key"))
        if key_kind is None:
            # Not a secret key: leave the key, but still scan the value on its own.
            value = match.group("pair_value")
            return match.group("pair_key") + match.group("pair_sep") + redact_text(value)
        return match.group("pair_key") + match.group("pair_sep") + marker(key_kind)
    if kind == "url_password":
        text = match.group(0)
        scheme_end = text.index("://") + 3
        user = text[scheme_end : text.index(":", scheme_end)]
        return f"{text[:scheme_end]}{user}:{marker('password')}@"
    if kind == "header":
        text = match.group(0)
        name, _, _ = text.partition(":")
        return f"{name}: {marker(secret_key_kind(name) or 'credentials')}"
    if kind == "card_number":
        digits = "".join(ch for ch in match.group(0) if ch.isdigit())
        if not 13 <= len(digits) <= 19 or not _luhn_ok(digits):
            return match.group(0)
    return marker(kind)


def redact_text(text: str) -> str:
    """``text`` with every secret shape replaced."""
    if len(text) < _MIN_SCAN_LEN:
        return text
    return _SCAN.sub(_replace, text)


def contains_secret(text: str) -> bool:
    return redact_text(text) != text


def _redact_int(value: int):
    # A card number sent as a JSON number is still a card number.
    if value >= 10**12 and _luhn_ok(str(value)) and 13 <= len(str(value)) <= 19:
        return marker("card_number")
    return value


def _plain(value):
    """A JSON-able stand-in for a value JSON cannot carry (text, redacted by the caller)."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return repr(bytes(value))
    return repr(value)


def _redact(value, depth: int, max_items: int | None):
    if isinstance(value, str):
        return redact_text(value) if len(value) >= _MIN_SCAN_LEN else value
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        return _redact_int(value) if value >= 10**12 else value
    if depth >= MAX_DEPTH:
        return "[TRUNCATED:depth]"
    if isinstance(value, dict):
        return _redact_mapping(value, depth, max_items)
    if isinstance(value, list | tuple | set | frozenset):
        items = value if isinstance(value, list | tuple) else sorted(value, key=repr)
        # ("Authorization", "Bearer …") header pairs: the first item names the second.
        if len(items) == 2 and isinstance(items[0], str):
            kind = secret_key_kind(items[0])
            if kind is not None and items[1] is not None and not isinstance(items[1], bool):
                return [redact_text(items[0]), marker(kind)]
        out = []
        for i, item in enumerate(items):
            if max_items is not None and i >= max_items:
                out.append(f"…[{len(items) - max_items} more items]")
                break
            out.append(_redact(item, depth + 1, max_items))
        return out
    return redact_text(_plain(value))


def _redact_mapping(mapping: dict, depth: int, max_items: int | None) -> dict:
    out = {}
    # {"name": "Authorization", "value": "…"} (HAR headers, form fields).
    named = mapping.get("name", mapping.get("key", mapping.get("header")))
    named_kind = secret_key_kind(named) if isinstance(named, str) else None
    for i, (key, item) in enumerate(mapping.items()):
        if max_items is not None and i >= max_items:
            out["…"] = f"[{len(mapping) - max_items} more keys]"
            break
        key = key if isinstance(key, str) else _plain(key) if key is not None else "null"
        kind = secret_key_kind(key)
        if kind is None and named_kind is not None and key == "value":
            kind = named_kind
        clean_key = redact_text(key)
        if kind is not None and item is not None and not isinstance(item, bool):
            out[clean_key] = marker(kind)
        else:
            out[clean_key] = _redact(item, depth + 1, max_items)
    return out


def redact(value):
    """A deep, redacted copy of ``value`` made of JSON types only (dict keys become strings)."""
    return _redact(value, 0, None)


# --- summaries -------------------------------------------------------------------------------
# Containers longer than this are cut before walking: a 500-character summary cannot show more.
_SUMMARY_MAX_ITEMS = 100
_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def cut(text: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters, the cut marked with how much was dropped."""
    if len(text) <= limit:
        return text
    dropped = len(text) - limit
    while True:
        tail = f"…[truncated {dropped} chars]"
        keep = limit - len(tail)
        if len(text) - keep == dropped:
            return text[:keep] + tail
        dropped = len(text) - keep


def summarize_redacted(clean) -> str:
    """Canonical JSON of an already redacted value, cut to the summary limit."""
    if clean is None:
        return ""
    return cut(_dumps(clean))


def summarize(value) -> str:
    """The stored form of a tool input or output: redacted canonical JSON, at most 500 chars."""
    if value is None:
        return ""
    return summarize_redacted(_redact(value, 0, _SUMMARY_MAX_ITEMS))


def redact_summary_text(text: str) -> str:
    """Redact a summary that arrived as text (batch API): JSON text is parsed so its keys count."""
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return cut(redact_text(text))
    if isinstance(parsed, dict | list):
        return summarize(parsed)
    return cut(redact_text(text))
