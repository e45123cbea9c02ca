from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from studyapp.authoring.blocks import ContentError
from studyapp.authoring.loader import collect
from studyapp.authoring.quality import measure
from studyapp.sims import presets


class Command(BaseCommand):
    help = "Check everything under content/ without loading it; errors name file:line."

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", default=str(settings.CONTENT_DIR))

    def handle(self, *args, **options):
        content_dir = Path(options["content_dir"])
        try:
            bundle = collect(content_dir)
        except ContentError as error:
            raise CommandError(str(error)) from error
        checked, broken = presets.problems(content_dir)
        if broken:
            raise CommandError("\n".join(str(error) for error in broken))
        self.stdout.write(
            f"OK: {len(bundle.topics)} topics, {len(bundle.errata)} errata, {len(bundle.cards)} cards, "
            f"{len(bundle.questions)} questions"
        )
        self.stdout.write(
            f"  rendering: {bundle.rendering_checked} pieces of text render as written"
        )
        for line in measure(bundle).lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(f"  simulator presets: {checked} run through their engines")
