from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from studyapp.authoring.blocks import ContentError
from studyapp.authoring.loader import collect


class Command(BaseCommand):
    help = "Check everything under content/ without loading it; errors name file:line."

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", default=str(settings.CONTENT_DIR))

    def handle(self, *args, **options):
        try:
            bundle = collect(Path(options["content_dir"]))
        except ContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"OK: {len(bundle.topics)} topics, {len(bundle.errata)} errata, {len(bundle.cards)} cards, "
            f"{len(bundle.questions)} questions"
        )
