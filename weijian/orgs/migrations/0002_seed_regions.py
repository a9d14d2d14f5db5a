"""Load the administrative divisions the seed documents name, with their ancestors.

The level/parent rule is a copy of `weijian.orgs.regions` on purpose: migrations never import
app code, so later changes there cannot rewrite history here.
"""

import csv
from pathlib import Path

from django.db import migrations

SEED_FILE = Path(__file__).resolve().parent.parent / "data" / "regions_seed.csv"


def read_seed():
    with SEED_FILE.open(encoding="utf-8-sig", newline="") as handle:
        return [(row["code"].strip(), row["name"].strip()) for row in csv.DictReader(handle)]


def level_and_parent(code, known):
    if len(code) > 6:
        return 4, code[:6]
    if code.endswith("0000"):
        return 1, None
    if code.endswith("00"):
        return 2, code[:2] + "0000"
    prefecture = code[:4] + "00"
    return 3, prefecture if prefecture in known else code[:2] + "0000"


def load_regions(apps, schema_editor):
    Region = apps.get_model("orgs", "Region")
    rows = sorted(read_seed())
    existing = set(Region.objects.values_list("code", flat=True))
    known = existing | {code for code, _ in rows}
    new = []
    for code, name in rows:
        if code in existing:
            continue
        level, parent = level_and_parent(code, known)
        new.append(Region(code=code, name=name, level=level, parent_id=parent))
    # Sorted by code, so every parent precedes its children.
    Region.objects.bulk_create(new)


def unload_regions(apps, schema_editor):
    Region = apps.get_model("orgs", "Region")
    codes = [code for code, _ in read_seed()]
    for level in (4, 3, 2, 1):
        Region.objects.filter(code__in=codes, level=level).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_regions, unload_regions),
    ]
