"""Create the role groups. Names are data here on purpose: migrations never import app code."""

from django.db import migrations

ROLE_NAMES = ["系统管理员", "安全管理员", "审计管理员", "领导", "科室人员", "填报员", "执法人员"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


def create_policy(apps, schema_editor):
    SecurityPolicy = apps.get_model("accounts", "SecurityPolicy")
    SecurityPolicy.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_policy, migrations.RunPython.noop),
    ]
