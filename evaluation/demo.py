"""Demo data of the evaluation app (idempotent): our committed golden set and the seed file.

A set already stored under the same name and version is left as it is, so re-running the seed
never overwrites cases someone edited in admin.
"""

from __future__ import annotations

from evaluation.golden_io import DEFAULT_GOLDEN_SET_PATH, GOLDEN_DIR, import_golden_set, load_file
from evaluation.models import GoldenSet

DEMO_FILES = (DEFAULT_GOLDEN_SET_PATH, GOLDEN_DIR / "v1_seed.json")


def seed(stdout=None, style=None) -> None:
    for path in DEMO_FILES:
        parsed = load_file(path)
        if GoldenSet.objects.filter(name=parsed.name, version=parsed.version).exists():
            message = f"golden set {parsed.label}: already present"
        else:
            golden_set, count = import_golden_set(parsed)
            message = f"golden set {golden_set.label}: imported {count} cases"
        if stdout is not None:
            stdout.write(style.SUCCESS(message) if style is not None else message)
