import congress.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deputies', '0005_fill_deputy_public_code'),
    ]

    operations = [
        migrations.AlterField(
            model_name='deputy',
            name='public_code',
            field=models.CharField(default=congress.fields.new_public_code, editable=False, max_length=16, unique=True, verbose_name='Public code'),
        ),
    ]
