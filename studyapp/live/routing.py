"""WebSocket URLs of the live screens (under /live/, where the players' cookies are sent)."""

from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("live/ws/play/<str:code>/", consumers.PlayerConsumer.as_asgi()),
    path("live/ws/watch/<int:session_id>/", consumers.WatchConsumer.as_asgi()),
]
