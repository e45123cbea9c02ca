"""Delete the simulator state of anonymous visitors who have not used it for a day.

Run it from cron (see README, "Running in production"), as Django's ``clearsessions``.
"""

from django.core.management.base import BaseCommand

from studyapp.sims import state


class Command(BaseCommand):
    help = "Delete anonymous visitors' simulator state unused for ANONYMOUS_TTL (24 hours)."

    def handle(self, *args, **options):
        count = state.expire()
        hours = state.ANONYMOUS_TTL.total_seconds() / 3600
        self.stdout.write(
            f"Deleted {count} anonymous simulator state(s) unused for {hours:g} hours."
        )
