"""The planning app starts without tables; forecasting and scheduling add theirs."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = []
