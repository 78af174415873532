"""Load the contract's channels, its 17 contact reasons and its opening hours (SPEC §1)."""

import datetime as dt

from django.db import migrations

from decroche.organisation.reference import CHANNELS, CONTACT_REASONS


def load(apps, schema_editor):
    Channel = apps.get_model("organisation", "Channel")
    ContactReason = apps.get_model("organisation", "ContactReason")
    OpeningHours = apps.get_model("organisation", "OpeningHours")
    for code, name in CHANNELS:
        Channel.objects.update_or_create(code=code, defaults={"name": name})
    for position, (code, label, family) in enumerate(CONTACT_REASONS, start=1):
        ContactReason.objects.update_or_create(
            code=code, defaults={"label": label, "family": family, "position": position}
        )
    for channel in Channel.objects.all():
        for weekday in range(5):
            OpeningHours.objects.get_or_create(
                channel=channel, weekday=weekday, opens_at=dt.time(8, 30), defaults={"closes_at": dt.time(17, 30)}
            )


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
