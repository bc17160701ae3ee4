"""A retailer's value / potential / basic class is its customer segment: "tier" is the
catalogue's word (inclusive / value-added / contemporary services)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("profiling", "0004_configuration_history")]

    operations = [
        migrations.RenameField("profilesnapshot", "tier", "segment"),
        migrations.AlterField(
            model_name="profilesnapshot",
            name="segment",
            field=models.CharField(
                choices=[("value", "Value customer"), ("potential", "Potential customer"),
                         ("basic", "Basic customer")],
                db_index=True, max_length=12, verbose_name="customer segment"),
        ),
    ]
