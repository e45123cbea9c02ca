from django.db import migrations, models


def fill_keys(apps, schema_editor):
    """Existing players get their skeleton; look-alikes already in one game stay, told apart."""
    from studyapp.live.nicknames import skeleton

    Player = apps.get_model("live", "Player")
    taken = set()
    for player in Player.objects.order_by("pk"):
        key = skeleton(player.nickname) or f"#{player.pk}"
        if (player.session_id, key) in taken:
            key = f"{key}#{player.pk}"
        taken.add((player.session_id, key))
        player.nickname_key = key
        player.save(update_fields=["nickname_key"])


class Migration(migrations.Migration):
    dependencies = [("live", "0002_join_failures_counted_by_throttle")]

    operations = [
        migrations.RemoveConstraint(model_name="player", name="live_nickname_unique_in_session"),
        migrations.AddField(
            model_name="player",
            name="nickname_key",
            field=models.CharField(default="", max_length=96),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="player",
            constraint=models.UniqueConstraint(
                fields=("session", "nickname_key"), name="live_nickname_unique_in_session"
            ),
        ),
        migrations.AddField(
            model_name="livesession",
            name="locked",
            field=models.BooleanField(default=False),
        ),
    ]
