from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_chain")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="sequence"),
        ),
    ]
