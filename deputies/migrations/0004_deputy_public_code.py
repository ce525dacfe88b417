from django.db import migrations, models


class Migration(migrations.Migration):
    """The column first, empty: existing mandates get their codes in 0005, one each."""

    dependencies = [
        ('deputies', '0003_roster_jobs'),
    ]

    operations = [
        migrations.AddField(
            model_name='deputy',
            name='public_code',
            field=models.CharField(editable=False, max_length=16, null=True, verbose_name='Public code'),
        ),
    ]
