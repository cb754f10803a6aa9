"""The catalog version and the triggers that draw its stamp (see bookings/catalog.py).

Triggers, not signals: they see every write to the three tables, queryset.update(),
bulk_create() and raw SQL included, and they draw the new stamp in the writing
transaction, so it becomes visible exactly when the change does. The row is upserted:
a table flush (tests) cannot leave writes without a stamp.
"""

from django.db import migrations, models

TABLES = ["bookings_service", "bookings_openinghours", "bookings_closure"]
DRAW = {
    vendor: "INSERT INTO bookings_catalogversion (id, stamp) VALUES (1, {random}) "
    "ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp".format(random=random)
    for vendor, random in [("postgresql", "floor(random() * 9007199254740991)::bigint"), ("sqlite", "random()")]
}
# Vendors without these triggers never keep a copy (catalog.CACHING_VENDORS).
FORWARD = {
    "postgresql": [
        f"CREATE FUNCTION bookings_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {DRAW['postgresql']}; RETURN NULL; END $$",
        *(
            f"CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION bookings_catalog_changed()"
            for table in TABLES
        ),
        DRAW["postgresql"],  # the first stamp, for the catalog that is already there
    ],
    "sqlite": [  # row triggers only
        *(
            f"CREATE TRIGGER {table}_{event.lower()}_catalog AFTER {event} ON {table} BEGIN {DRAW['sqlite']}; END"
            for table in TABLES
            for event in ("INSERT", "UPDATE", "DELETE")
        ),
        DRAW["sqlite"],
    ],
}
BACKWARD = {
    "postgresql": [
        *(f"DROP TRIGGER IF EXISTS catalog_changed ON {table}" for table in TABLES),
        "DROP FUNCTION IF EXISTS bookings_catalog_changed()",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {table}_{event.lower()}_catalog"
        for table in TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ],
}


def run(statements):
    def operation(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0004_staff_groups"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stamp", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(run(FORWARD), run(BACKWARD)),
    ]
