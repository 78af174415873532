"""The dirty-days table and the triggers that fill it (`indicators.triggers`).

Summaries refreshed before this migration were checked against the table's highest
primary key; their fingerprint no longer matches, so they are read again only after the
next `decroche refresh-summary` (until then the engine reads the contact tables).
"""

from django.db import migrations, models

from decroche.indicators import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_summarystate_daysummary"),
        ("contacts", "0002_call_outcome_ended_in_ivr"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirtyDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("table", models.CharField(max_length=64, verbose_name="table")),
                ("day", models.DateField(verbose_name="day")),
            ],
            options={
                "verbose_name": "changed day",
                "verbose_name_plural": "changed days",
                "constraints": [
                    models.UniqueConstraint(fields=("table", "day"), name="dirty_day_table_day")
                ],
            },
        ),
        migrations.RunPython(install, remove),
    ]
