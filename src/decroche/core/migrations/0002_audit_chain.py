"""Chain the audit trail (issue 12 §4): sequence numbers and keyed hashes, the head row,
purge checkpoints. Entries already stored are chained here, in the order they were
written (by id), with the key configured when the migration runs."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def chain_existing_entries(apps, schema_editor):
    from decroche.core import chain

    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    key = chain.chain_key()
    previous, sequence = "", 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        sequence += 1
        entry.sequence = sequence
        entry.chain_hash = chain.entry_hash(entry, previous, key)
        AuditEntry.objects.filter(pk=entry.pk).update(
            sequence=entry.sequence, chain_hash=entry.chain_hash
        )
        previous = entry.chain_hash
    AuditChainHead.objects.create(pk=1, sequence=sequence, chain_hash=previous)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(null=True, verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain_hash",
            field=models.CharField(default="", max_length=64, verbose_name="chain hash"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="date"
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField(default=0)),
                ("chain_hash", models.CharField(blank=True, max_length=64)),
            ],
            options={"verbose_name": "audit chain head"},
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField(unique=True)),
                ("chain_hash", models.CharField(max_length=64)),
                ("purged_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("entries_purged", models.PositiveIntegerField()),
                (
                    "before",
                    models.DateTimeField(help_text="Entries older than this were purged."),
                ),
            ],
            options={"verbose_name": "audit purge checkpoint", "ordering": ["-sequence"]},
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
    ]
