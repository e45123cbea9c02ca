"""Create an API key for a learner and print it as environment variables (shown once)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from studyapp.accounts.apikeys import TooManyKeys, api_key_create


class Command(BaseCommand):
    help = "Create an access key pair for USERNAME's SDK calls and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        try:
            key, secret = api_key_create(user=user)
        except TooManyKeys as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"AWS_ACCESS_KEY_ID={key.access_key_id}")
        self.stdout.write(f"AWS_SECRET_ACCESS_KEY={secret}")
