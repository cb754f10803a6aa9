"""The two staff roles. Other apps add their own permissions to these groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FRONT_DESK = [
    "view_booking",
    "change_booking",
    "confirm_booking",
    "complete_booking",
    "cancel_booking",
    "view_bookingevent",
    "view_service",
    "view_openinghours",
    "view_closure",
]
MANAGER = [
    *FRONT_DESK,
    "refund_booking",
    "add_service",
    "change_service",
    "delete_service",
    "add_openinghours",
    "change_openinghours",
    "delete_openinghours",
    "add_closure",
    "change_closure",
    "delete_closure",
]


def grant(apps, group_name: str, app_label: str, codenames: list[str]) -> None:
    """Give `group_name` these permissions of `app_label`, creating what does not exist yet
    (permissions are normally created after all migrations have run)."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


def create_groups(apps, schema_editor):
    grant(apps, "Front desk", "bookings", FRONT_DESK)
    grant(apps, "Manager", "bookings", MANAGER)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0003_staff_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
