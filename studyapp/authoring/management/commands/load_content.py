from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from studyapp.authoring.blocks import ContentError
from studyapp.authoring.loader import load_content


class Command(BaseCommand):
    help = "Load (or update) everything under content/ into the database. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", default=str(settings.CONTENT_DIR))

    def handle(self, *args, **options):
        try:
            report = load_content(Path(options["content_dir"]))
        except ContentError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
