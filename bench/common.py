"""What every benchmark script shares: pointing Django at the throwaway benchmark database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django

DEFAULT_BENCH_DATABASE_URL = "sqlite:////tmp/weijian-bench.sqlite3"


def setup_django() -> str:
    """Point Django at the benchmark database, set it up and migrate. Returns the database URL."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_BENCH_DATABASE_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weijian.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url
