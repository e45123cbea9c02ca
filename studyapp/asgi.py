"""ASGI entry point: every page over HTTP, and the live quizzes' WebSockets.

Serve with `uvicorn studyapp.asgi:application` (or daphne; `manage.py runserver` is daphne).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")

# Django first: the routing below imports models.
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from studyapp.live.routing import websocket_urlpatterns  # noqa: E402


class SameSiteSockets:
    """A page of another site cannot open a socket with our visitors' cookies (the Origin
    header must name one of ALLOWED_HOSTS, read per connection so settings can change)."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        return await AllowedHostsOriginValidator(self.inner)(scope, receive, send)


def build(http_application):
    """The project's ASGI application around an HTTP application (tests add static files)."""
    return ProtocolTypeRouter(
        {
            "http": http_application,
            "websocket": SameSiteSockets(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
        }
    )


application = build(django_application)
