"""Secret-bearing inputs and look-alike non-secrets shared by the redaction tests.

Each secret case is ``(label, value, needles)``: after redaction none of the needles may appear
anywhere. All values are fake, and every needle is distinctive enough that it cannot turn up
by chance in an id, a timestamp or a duration.
"""

from __future__ import annotations


class Credentials:
    """An object JSON cannot serialise whose repr carries a secret."""

    def __repr__(self) -> str:
        return "Credentials(user='svc', token=repr-token-abc123XYZ)"


JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0"
    ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
)
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bqPemQ9Zx1Lw0v1\nq8ZbWmNwqP2c3Y"
    "\n-----END RSA PRIVATE KEY-----"
)

SECRETS: list[tuple[str, object, tuple[str, ...]]] = [
    # --- key names ---------------------------------------------------------------------------
    ("api_key key", {"api_key": "a1b2c3d4e5f6g7h8"}, ("a1b2c3d4e5f6g7h8",)),
    ("X-Api-Key header", {"X-Api-Key": "live-9f8e7d6c5b4a"}, ("live-9f8e7d6c5b4a",)),
    (
        "Authorization header, nested",
        {"request": {"headers": {"Authorization": "Basic dXNlcjpwYXNzd29yZA=="}}},
        ("dXNlcjpwYXNzd29yZA==",),
    ),
    (
        "lowercase authorization with a DRF token",
        {"authorization": "Token 0123456789abcdef0123456789abcdef01234567"},
        ("0123456789abcdef0123456789abcdef01234567",),
    ),
    ("password", {"password": "hunter2hunter2"}, ("hunter2hunter2",)),
    ("db_password", {"db_password": "Tr0ub4dor&3xyz"}, ("Tr0ub4dor&3xyz",)),
    ("passwd", {"passwd": "letmein-please"}, ("letmein-please",)),
    ("PASSWORD2 with digits", {"PASSWORD2": "second-pass-word-99"}, ("second-pass-word-99",)),
    ("client_secret", {"client_secret": "cs_9x8y7z6w5v4u"}, ("cs_9x8y7z6w5v4u",)),
    ("webhook secret", {"webhookSecret": "whsec_abcdef123456"}, ("whsec_abcdef123456",)),
    ("private_key", {"private_key": "MIIEvQIBADANBgkqhkiG9w0B"}, ("MIIEvQIBADANBgkqhkiG9w0B",)),
    ("ssn key", {"SSN": "ssn-value-078051120"}, ("ssn-value-078051120",)),
    ("credit_card key", {"credit_card": "card-ref-40128888"}, ("card-ref-40128888",)),
    ("cvv key", {"card": {"cvv": "cvv-code-x9q7"}}, ("cvv-code-x9q7",)),
    ("Cookie header", {"Cookie": "sessionid=abc123def456ghi789"}, ("abc123def456ghi789",)),
    ("set-cookie header", {"set-cookie": "csrftoken=Zx9Yw8Vu7Ts6"}, ("Zx9Yw8Vu7Ts6",)),
    ("refresh_token", {"refresh_token": "rt-1f2e3d4c5b6a7988"}, ("rt-1f2e3d4c5b6a7988",)),
    ("accessToken camel case", {"accessToken": "at-55aa66bb77cc88dd"}, ("at-55aa66bb77cc88dd",)),
    ("session_token", {"session_token": "st-abcdefgh12345678"}, ("st-abcdefgh12345678",)),
    (
        "aws_secret_access_key",
        {"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",),
    ),
    (
        "deeply nested secret",
        {"a": {"b": [{"c": {"secret": "nested-deep-secret-42"}}]}},
        ("nested-deep-secret-42",),
    ),
    (
        "header pairs as a list of tuples",
        [("Accept", "application/json"), ("Authorization", "Digest pair-secret-7788abc")],
        ("pair-secret-7788abc",),
    ),
    (
        "HAR-style name/value header",
        {"headers": [{"name": "X-Api-Key", "value": "har-header-secret-991"}]},
        ("har-header-secret-991",),
    ),
    ("password in a tuple", ("password", "tuple-pass-6655"), ("tuple-pass-6655",)),
    # --- value shapes in free text -----------------------------------------------------------
    (
        "bearer token in a curl line",
        {"command": "curl -H 'Authorization: Bearer 8f7e6d5c4b3a2f1e0d9c' https://api.example.com"},
        ("8f7e6d5c4b3a2f1e0d9c",),
    ),
    ("bearer token after a tab", {"note": "Bearer\tabcdefghijklmnop987"}, ("abcdefghijklmnop987",)),
    (
        "compact Basic header line",
        {"raw": "Authorization:Basic Zm9vOmJhcmJheg=="},
        ("Zm9vOmJhcmJheg==",),
    ),
    ("JWT in text", {"note": f"session {JWT} expires soon"}, (JWT, "dozjgNryP4J3jVmNHl0w5N")),
    (
        "OpenAI project key",
        {"llm": "use sk-proj-abcdefghijklmnop1234567890"},
        ("abcdefghijklmnop1234567890",),
    ),
    ("Anthropic key", {"llm": "sk-ant-api03-abcdefghijklmnopqrstuv"}, ("abcdefghijklmnopqrstuv",)),
    (
        "Stripe live key",
        {"billing": "sk_live_4eC39HqLyjWDarjtT1zdp7dc"},
        ("4eC39HqLyjWDarjtT1zdp7dc",),
    ),
    (
        "Slack user token",
        {"chat": "xoxp-123456789012-123456789012-abcdef"},
        ("123456789012-abcdef",),
    ),
    ("AWS access key id", {"aws": "key AKIAIOSFODNN7EXAMPLE in use"}, ("AKIAIOSFODNN7EXAMPLE",)),
    (
        "GitHub token",
        {"ci": "ghp_abcdefghijklmnopqrstuvwxyz0123456789"},
        ("abcdefghijklmnopqrstuvwxyz0123456789",),
    ),
    (
        "Google API key",
        {"maps": "AIzaSyA-abcdefghijklmnopqrstuvwxyz1234"},
        ("SyA-abcdefghijklmnopqrstuvwxyz1234",),
    ),
    (
        "SendGrid key",
        {"mail": "SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123"},
        ("abcdefghijklmnopqrstuvwxyz0123",),
    ),
    (
        "PEM private key block",
        {"key_file": PEM},
        ("MIIEpAIBAAKCAQEA7bqPemQ9Zx1Lw0v1", "q8ZbWmNwqP2c3Y"),
    ),
    (
        "PEM block whose END line is missing",
        {"blob": "-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSk"},
        ("MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSk",),
    ),
    (
        "Visa number with spaces",
        {"note": "charge 4111 1111 1111 1111 today"},
        ("4111 1111 1111 1111",),
    ),
    (
        "Mastercard number with dashes",
        {"note": "card 5555-5555-5555-4444"},
        ("5555-5555-5555-4444",),
    ),
    ("Amex number", {"note": "amex 3782 822463 10005 on file"}, ("3782 822463 10005",)),
    (
        "card number as a JSON number",
        {"amount": 12, "pan_ref": 4012888888881881},
        ("4012888888881881",),
    ),
    ("SSN in text", {"note": "SSN 219-09-9999 on file"}, ("219-09-9999",)),
    (
        "password in a database URL",
        {"dsn": "postgres://admin:s3cr3tP4ss@db.internal:5432/crm"},
        ("s3cr3tP4ss",),
    ),
    (
        "password in an https URL",
        {"url": "https://bob:Hunter2Pass@api.example.com/v1"},
        ("Hunter2Pass",),
    ),
    (
        "api_key in a query string",
        {"url": "https://api.example.com/v1?api_key=qs-secret-777&page=2"},
        ("qs-secret-777",),
    ),
    (
        "password=… in free text",
        {"log": "login failed password=plaintext-pw-555 user=x"},
        ("plaintext-pw-555",),
    ),
    (
        "JSON text inside a string",
        {"body": '{"user": "svc", "password": "json-text-pw-31"}'},
        ("json-text-pw-31",),
    ),
    (
        "Slack webhook URL",
        {"notify": "https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/abcdEFGHijklMNOP"},
        ("abcdEFGHijklMNOP",),
    ),
    ("object that JSON cannot carry", {"client": Credentials()}, ("repr-token-abc123XYZ",)),
    (
        "bytes with a bearer token",
        {"raw": b"Authorization: Bearer bytes-secret-token-xyz"},
        ("bytes-secret-token-xyz",),
    ),
    ("secret as a mapping key", {"sk-keyinkey1234567890abcd": 1}, ("keyinkey1234567890abcd",)),
    ("plain string input", "use token=str-token-value-42 for this", ("str-token-value-42",)),
]

# Values that look a little like secrets and must come through unchanged.
LOOKALIKES: list[object] = [
    {"author": "Ursula K. Le Guin"},
    {"authority": "IANA"},
    {"authored_by": "dana"},
    {"tokenizer_name": "cl100k_base"},
    {"max_tokens": 512, "prompt_tokens": 1200, "token_count": 77},
    {"secretary": "Jane Roe"},
    {"sort_key": "tier_1", "key": "tier_2"},
    {"keywords": ["pipeline", "revops"]},
    {"oauth_provider": "google"},
    {"passed": 12, "has_password": None, "password_set": True},
    {"note": "The bearer of this letter is our CTO"},
    {"note": "Basic plan costs $49 per seat"},
    {"note": "sk-learn is a library"},
    {"note": "task-management-software-suite-2024 rollout"},
    {"note": "Call 415-555-2671 after 3pm"},
    {"note": "Order 4111 1111 1111 1112 shipped"},
    {"note": "meeting on 2026-11-26T10:00:00Z"},
    {"lead_id": 1234567890123, "note": "lead id 1234567890123"},
    {"url": "https://www.example.com/path?page=2&sort=asc"},
    {"email": "dana@northwind.example"},
    {"dsn": "postgres://db.internal:5432/crm"},
    {"id": "123e4567-e89b-12d3-a456-426614174000"},
    {"isbn": "978-3-16-148410-0"},
    {"region": "Asia Pacific", "segment": "key account manager"},
    {"note": "author: Dana Reyes"},
    {"config": "max_tokens=256 tokenizer=cl100k"},
    {"note": "monkey business in the passage"},
    {"admin": "http://localhost:8000/admin/"},
    {"ssn_like": "000-12-3456 and 666-12-3456"},
    {"phone": "+44 20 7946 0958"},
    {"amount": "$1,234,567.89"},
    {"refs": ["lead:12", "standard:tier_1"]},
    {"session_count": 3, "cookie_consent": "granted"},
    {"form_fields": ["password", "username", "email"]},
    {"company": "Pan Pacific Tokens Ltd", "card_design": "blue"},
]
