from django.conf import settings
from django.db import models


class ThrottleCount(models.Model):
    """How many attempts a subject (an account, an address) made in one window of a limit.

    Counted with an atomic UPDATE, so parallel requests never read the same count; subjects
    are stored as keyed hashes, never as addresses or names.
    """

    scope = models.CharField(max_length=40)
    subject = models.CharField(max_length=64)
    window = models.PositiveBigIntegerField(help_text="Window number: start time // length.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "subject", "window"], name="one_count_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.subject[:8]} #{self.window}: {self.count}"


class ApiKey(models.Model):
    """An access key pair for the SDK endpoint (/aws/): a simulated IAM user of the learner.

    SigV4 needs the secret itself to recompute a signature, so it cannot be hashed: it is
    stored encrypted with a key derived from SECRET_KEY (see ``apikeys.py``) and shown once.
    ``policy`` is the key's identity-based policy, the IAM engine's input on every call.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys", editable=False
    )
    access_key_id = models.CharField(max_length=20, unique=True, editable=False)
    secret_encrypted = models.TextField(editable=False)  # "" once revoked
    policy = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The last call the policy denied: when, action, resource, AWS's message, the IAM trace.
    last_denial = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.access_key_id

    @property
    def active(self) -> bool:
        return self.revoked_at is None
