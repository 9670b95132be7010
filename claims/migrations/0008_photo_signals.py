# Issue 13, part 4: the facts of each photo the reviewer's signals read.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_seed_reply"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidencephoto",
            name="phash",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="pHash of the picture and of ten windows of it: finds the same picture cropped, resized or recompressed.",
                max_length=200,
                verbose_name="perceptual hash",
            ),
        ),
        migrations.AddField(
            model_name="evidencephoto",
            name="captured_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the camera says the photo was taken (EXIF); empty when it says nothing.",
                null=True,
                verbose_name="taken",
            ),
        ),
        migrations.AddField(
            model_name="evidencephoto",
            name="camera",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="The photo's metadata named a camera; screenshots and downloads name none.",
                verbose_name="names a camera",
            ),
        ),
    ]
