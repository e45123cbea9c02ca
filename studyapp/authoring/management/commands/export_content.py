import json

from django.core.management.base import BaseCommand

from studyapp.authoring.export import export_document


class Command(BaseCommand):
    help = "Print the loaded content as one JSON document."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(export_document(), ensure_ascii=False, indent=2))
