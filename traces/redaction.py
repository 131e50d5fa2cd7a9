"""Redaction: nothing secret reaches a trace row, a JSONL line or an API answer.

Two nets, both applied before anything is stored:

* key names — normalised (lowercase, non-alphanumerics and trailing digits dropped) and matched
  exactly or by a small set of suffixes, so ``X-Api-Key``, ``private_key`` and ``db_password``
  are caught while ``author``, ``authority``, ``tokenizer_name`` and ``max_tokens`` are not;
* string values — precompiled regexes find secret shapes anywhere in free text (bearer
  tokens, JWTs, provider keys, PEM private keys, passwords in URLs, ``password=…`` pairs and
  ``Authorization:`` header lines, Luhn-valid card numbers, SSNs).

``tokenizer_name`` is deliberately not a secret key (only names *ending* in ``token`` are), nor
are plural counters (``max_tokens``) or words that merely contain one (``secretary``).

A replaced value reads ``[REDACTED:<kind>]``. Values JSON cannot carry are turned into text
first (``repr`` for unknown objects) and that text is redacted too, so nothing passes raw.
This runs on the recorder's hot path: each family's regex runs only when a substring test says
it could match, and verdicts on keys and on short strings (which repeat call after call) are
cached.
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


@functools.lru_cache(maxsize=64)
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
    if key.startswith("[REDACTED:"):
        return None  # a redaction marker names what was removed; it is not a field name
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
# One regex per family of secret shapes, each run only when a C-speed substring test says the
# text could hold it; most text passes every test and is never walked by a regex. The patterns
# also work on JSON written into a string (a tool that returns a JSON body, a summary posted as
# text): values stop at a quote or backslash and accept JSON escapes (``\t``, ``\"``), so a
# replacement never breaks the JSON around it.
_SP = r"(?:[ \t]|\\t)"  # a space or tab, raw or JSON-escaped
_FOLD = r"(?:\s|\\[tnr])"  # any whitespace, raw or JSON-escaped

_PRIVATE_KEY = re.compile(
    r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
    # to its END line; when a cut dropped it, to the end of the JSON string or of the text
    r"(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|(?=\\?\")|\Z)"
)
# scheme://user:password@host — the user stays, the password goes.
_URL_PASSWORD = re.compile(r"://(?P<user>[^\s:/@\"\\]*):(?:[^\s@/\"\\]|\\[^\"])+@")
_SLACK_WEBHOOK = re.compile(r"hooks\.slack\.com/services/[A-Za-z0-9/_\-]+")
_JWT = re.compile(r"eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*")
# Provider key shapes. Every branch starts on a literal so the regex engine skips other
# characters; the look-behind after the prefix keeps ``task-…`` from reading as ``sk-…``.
_PROVIDER_KEY = re.compile(
    r"sk-(?<![A-Za-z0-9]sk-)(?:proj-|ant-|live-)?[A-Za-z0-9_\-]{16,}"
    r"|sk_(?<![A-Za-z0-9]sk_)(?:live|test)_[A-Za-z0-9]{16,}"
    r"|rk_(?<![A-Za-z0-9]rk_)(?:live|test)_[A-Za-z0-9]{16,}"
    r"|xox(?<![A-Za-z0-9]xox)[abposr]-[A-Za-z0-9\-]{10,}"
    r"|AKIA(?<![A-Za-z0-9]AKIA)[0-9A-Z]{16}(?![A-Za-z0-9])"
    r"|ASIA(?<![A-Za-z0-9]ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])"
    r"|gh[pousr]_[A-Za-z0-9]{30,}"
    r"|github_pat_[A-Za-z0-9_]{22,}"
    r"|AIza[0-9A-Za-z_\-]{30,}"
    r"|SG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}"
)
_BEARER = re.compile(r"\b(?i:bearer|basic|digest)" + _FOLD + r"+[A-Za-z0-9\-._~+/]{12,}=*")
_BEARER_WORDS = ("bearer", "basic", "digest")
# The words a key in text can contain: the _PAIR regex is tried only where one occurs, and the
# whole key around it (``db_password``, ``credit_card``) goes to ``secret_key_kind``. Every
# secret key name and suffix above contains one of them (a test keeps it so).
_PAIR_WORDS = (
    "pass",
    "pwd",
    "secret",
    "api",
    "token",
    "auth",
    "cookie",
    "session",
    "ssn",
    "cvv",
    "cvc",
    "private",
    "card",
    "credential",
    "signing",
    "bearer",
    "social",
    "ccnumber",
    "cc_number",
    "cc-number",
    "pan",
    "accesskey",
    "access_key",
    "access-key",
    "securitycode",
    "security_code",
)
# A header written as text ("Authorization: …"): the rest of the line is the credential.
# key=value / key: value / "key": "value" in free text, query strings and JSON text: the
# match starts at the key word and the whole key (with what precedes the word, as in
# ``db_password``) decides, so ``max_tokens=5`` and ``author=x`` stay.
_PAIR = re.compile(
    r"(?P<header>(?i:authorization|cookie|api-key)"
    + _SP
    + r"*:"
    + _SP
    + r"*(?:[^\s\"\\]|\\[^nr\"])(?:[^\r\n\"\\]|\\[^nr\"])*)"
    r"|(?P<key>(?i:" + "|".join(_PAIR_WORDS) + r")[A-Za-z0-9_\-]*)"
    r"(?P<sep>(?:\\?[\"'])?" + _SP + r"*[:=]" + _SP + r"*(?:\\?[\"'])?"
    # {"name": "X-Api-Key", "value": "…"} written out as text (HAR headers, form fields)
    r"|\\?[\"']" + _SP + r"*," + _SP + r"*\\?[\"']value\\?[\"']" + _SP + r"*:" + _SP + r"*\\?[\"']"
    # ["password", "…"]: a two-item pair written out as text (checked in _pair)
    r"|(?P<list_sep>\\?[\"']" + _SP + r"*," + _SP + r"*\\?[\"']))"
    r"(?P<value>(?:(?i:bearer|basic|token|digest)" + _FOLD + r"+)?"
    r"(?:[^\s\"'&,;<>\\]|\\[^nrt\"])+)"
)
# Where a bearer scheme or a pair's key word starts, found in one pass over lowercased text;
# longest words first so "passphrase" is not cut to "pass".
_WORD_FINDER = re.compile(
    "|".join(re.escape(w) for w in sorted({*_BEARER_WORDS, *_PAIR_WORDS}, key=len, reverse=True))
)
# Digit runs long enough for an SSN or a card number; the precise shapes are checked inside.
_DIGIT_RUN = re.compile(r"[0-9][0-9 \-]{8,}[0-9]")
_CARD = re.compile(
    r"\b(?:[2-6]\d{3}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7}|3[47]\d{2}[ \-]?\d{6}[ \-]?\d{5})\b"
)
_SSN = re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")
_JSON_LITERALS = frozenset({"null", "true", "false"})
_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
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


def _key_before(text: str, start: int) -> str:
    """The key characters right before ``start`` (``db_`` of ``db_password=``)."""
    begin = start
    while begin > 0 and text[begin - 1] in _KEY_CHARS:
        begin -= 1
    return text[begin:start]


def _pair(match: re.Match) -> str | None:
    header = match.group("header")
    if header is not None:
        name = header.partition(":")[0].rstrip(" \t\\")
        return f"{name}: {marker(secret_key_kind(name) or 'credentials')}"
    key, value = match.group("key"), match.group("value")
    # Closing brackets after the value belong to the text around it: "Creds(token=abc)".
    bare = value.rstrip(")]}")
    # JSON null/true/false after a secret key were kept on purpose (they hold no secret), and
    # a marker is already what the value should be.
    if bare in _JSON_LITERALS or bare.startswith("[REDACTED:"):
        return None
    text, start = match.string, match.start()
    prefix = _key_before(text, start)
    kind = secret_key_kind(prefix + key)
    if kind is None:
        return None
    if match.group("list_sep") is not None:
        # Only a bracketed pair: ["password", "x"], not a list of field names.
        before = text[: start - len(prefix)].rstrip("\"'\\ ")
        after = text[match.end() : match.end() + 3].lstrip("\"'\\ ")
        if not (before.endswith("[") and after.startswith("]")):
            return None
    return key + match.group("sep") + marker(kind) + value[len(bare) :]


def _url_password(match: re.Match) -> str:
    return f"://{match.group('user')}:{marker('password')}@"


def _card(match: re.Match) -> str:
    digits = "".join(ch for ch in match.group(0) if ch.isdigit())
    if 13 <= len(digits) <= 19 and _luhn_ok(digits):
        return marker("card_number")
    return match.group(0)


def _digits(match: re.Match) -> str:
    text = _SSN.sub(marker("ssn"), match.group(0))
    return _CARD.sub(_card, text)


def _fold(text: str) -> str:
    """Lowercase ``text`` keeping every offset (``"İ".lower()`` is two characters)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _scan_words(text: str) -> str:
    """Bearer tokens and secret pairs: one pass of a literal-only regex over the lowercased text
    finds where their words start, and the precise pattern is tried only there (a
    case-insensitive alternation tried at every position costs ten times more)."""
    lower = _fold(text)
    # Cheap gates first: a bearer token needs its scheme word, a pair needs a separator.
    if not (
        "=" in text
        or ":" in text
        or '"' in text
        or "'" in text
        or "bearer" in lower
        or "basic" in lower
        or "digest" in lower
    ):
        return text
    parts, done = [], 0
    for word in _WORD_FINDER.finditer(lower):
        at = word.start()
        if at < done:
            continue
        if word.group() in _BEARER_WORDS:
            match = _BEARER.match(text, at)
            replacement = marker("bearer") if match is not None else None
        else:
            match = _PAIR.match(text, at)
            # None: not a secret after all (``author: …``); later words inside still count.
            replacement = _pair(match) if match is not None else None
        if replacement is None:
            continue
        parts.append(text[done:at])
        parts.append(replacement)
        done = match.end()
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


# Strings up to this long are remembered: agent traffic repeats the same values (names, titles,
# tool arguments) call after call, and a redaction verdict never changes.
_CACHE_MAX_LEN = 256


def redact_text(text: str) -> str:
    """``text`` with every secret shape replaced by ``[REDACTED:<kind>]``."""
    if len(text) < _MIN_SCAN_LEN:
        return text
    if len(text) <= _CACHE_MAX_LEN:
        return _redact_short(text)
    return _redact_text(text)


def _redact_text(text: str) -> str:
    if "-----BEGIN" in text:
        text = _PRIVATE_KEY.sub(marker("private_key"), text)
    if "://" in text:
        text = _URL_PASSWORD.sub(_url_password, text)
        if "hooks.slack.com" in text:
            text = _SLACK_WEBHOOK.sub(marker("slack_webhook"), text)
    if "eyJ" in text:
        text = _JWT.sub(marker("jwt"), text)
    if _PROVIDER_KEY.search(text) is not None:
        text = _PROVIDER_KEY.sub(marker("api_key"), text)
    text = _scan_words(text)
    if _DIGIT_RUN.search(text) is not None:
        text = _DIGIT_RUN.sub(_digits, text)
    return text


_redact_short = functools.lru_cache(maxsize=8192)(_redact_text)


def contains_secret(text: str) -> bool:
    return redact_text(text) != text


def _redact_number(value):
    # A card number sent as a JSON number is still a card number.
    if -(10**12) < value < 10**12:
        return value
    if isinstance(value, float):
        if not value.is_integer():
            return value
        value_text = str(int(abs(value)))
    else:
        value_text = str(abs(value))
    if 13 <= len(value_text) <= 19 and _luhn_ok(value_text):
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


def _walk(value, depth: int, max_items: int | None):
    """A JSON-typed copy of ``value``: secret keys' values replaced, strings scanned.

    Exact type checks come first: this runs for every value of every tool call.
    """
    kind = type(value)
    if kind is str:
        return redact_text(value) if len(value) >= _MIN_SCAN_LEN else value
    if kind is dict:
        return _walk_mapping(value, depth, max_items)
    if kind is int:
        return value if -(10**12) < value < 10**12 else _redact_number(value)
    if value is None or kind is bool:
        return value
    if kind is float:
        return _redact_number(value)
    if kind is list or kind is tuple:
        return _walk_items(value, depth, max_items)
    # Subclasses (TextChoices, IntEnum, OrderedDict, …) and everything JSON cannot carry.
    if isinstance(value, str):
        return redact_text(str(value))
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float):
        return _redact_number(value.__int__() if isinstance(value, int) else float(value))
    if isinstance(value, dict):
        return _walk_mapping(value, depth, max_items)
    if isinstance(value, list | tuple):
        return _walk_items(value, depth, max_items)
    if isinstance(value, set | frozenset):
        return _walk_items(sorted(value, key=repr), depth, max_items)
    return redact_text(_plain(value))


def _walk_items(items, depth: int, max_items: int | None) -> list | str:
    if depth >= MAX_DEPTH:
        return "[TRUNCATED:depth]"
    # ("Authorization", "Bearer …") header pairs: the first item names the second.
    if len(items) == 2 and type(items[0]) is str:
        kind = secret_key_kind(items[0])
        if kind is not None and items[1] is not None and not isinstance(items[1], bool):
            return [redact_text(items[0]), marker(kind)]
    if max_items is not None and len(items) > max_items:
        out = [_walk(item, depth + 1, max_items) for item in items[:max_items]]
        out.append(f"…[{len(items) - max_items} more items]")
        return out
    return [
        redact_text(item) if type(item) is str else _walk(item, depth + 1, max_items)
        for item in items
    ]


@functools.lru_cache(maxsize=4096)
def _key_verdict(key: str) -> tuple[str, str | None]:
    """(the key with secret shapes removed, the kind of secret it names or None)."""
    return redact_text(key), secret_key_kind(key)


_SMALL_INT = 10**12


def _walk_mapping(mapping: dict, depth: int, max_items: int | None) -> dict | str:
    if depth >= MAX_DEPTH:
        return "[TRUNCATED:depth]"
    out = {}
    # {"name": "Authorization", "value": "…"} (HAR headers, form fields).
    named_kind = None
    if "value" in mapping:
        named = mapping.get("name", mapping.get("key", mapping.get("header")))
        named_kind = secret_key_kind(named) if isinstance(named, str) else None
    left = -1 if max_items is None else max_items
    for key, item in mapping.items():
        if left == 0:
            out["…"] = f"[{len(mapping) - max_items} more keys]"
            break
        left -= 1
        if type(key) is not str:
            key = "null" if key is None else str(key) if isinstance(key, int) else _plain(key)
        clean_key, kind = _key_verdict(key)
        if kind is None and named_kind is not None and key == "value":
            kind = named_kind
        if kind is not None and item is not None and item is not True and item is not False:
            out[clean_key] = marker(kind)
            continue
        kind = type(item)
        if kind is str:
            out[clean_key] = redact_text(item)
        elif item is None or kind is bool or (kind is int and -_SMALL_INT < item < _SMALL_INT):
            out[clean_key] = item
        elif kind is dict:
            out[clean_key] = _walk_mapping(item, depth + 1, max_items)
        elif kind is list:
            out[clean_key] = _walk_items(item, depth + 1, max_items)
        else:
            out[clean_key] = _walk(item, depth + 1, max_items)
    return out


def redact(value):
    """A deep, redacted copy of ``value`` made of JSON types only (dict keys become strings).

    ``None`` and booleans under a secret key are kept: they cannot carry a secret, and
    ``{"password": null}`` says something useful.
    """
    return _walk(value, 0, None)


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


def summarize(value) -> str:
    """The stored form of a tool input or output: redacted canonical JSON, at most 500 chars."""
    if value is None:
        return ""
    return cut(_dumps(_walk(value, 0, _SUMMARY_MAX_ITEMS)))


def redact_summary_text(text: str) -> str:
    """Redact a summary that arrived as text (batch API): JSON text is parsed so its keys count."""
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return cut(redact_text(text))
    if isinstance(parsed, dict | list):
        return summarize(parsed)
    return cut(redact_text(text))
