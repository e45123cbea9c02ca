from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from studyapp.http import client_address

from . import throttle


def _too_many(ticket: throttle.Ticket) -> ValidationError:
    minutes = max(1, round(ticket.retry_after / 60))
    return ValidationError(
        ngettext(
            "Too many attempts. Try again in %(n)d minute.",
            "Too many attempts. Try again in %(n)d minutes.",
            minutes,
        )
        % {"n": minutes},
        code="throttled",
    )


def _check(tickets: list[throttle.Ticket]) -> None:
    """Refuse when any limit is over; a refused attempt was never tried, so it is given back."""
    refused = [ticket for ticket in tickets if not ticket.allowed]
    if refused:
        for ticket in tickets:
            throttle.give_back(ticket)
        raise _too_many(max(refused, key=lambda ticket: ticket.retry_after))


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_email(self) -> str:
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"])
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(_("An account with this email address already exists."))
        return email


class ThrottledLoginForm(AuthenticationForm):
    """Wrong passwords are limited per account and per address, right ones are not counted."""

    throttled = False

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.cleaned_data.get("password"):
            tickets = [
                throttle.attempt(throttle.LOGIN_ACCOUNT, username.casefold()),
                throttle.attempt(throttle.LOGIN_ADDRESS, client_address(self.request)),
            ]
            try:
                _check(tickets)
            except ValidationError:
                self.throttled = True
                raise
            cleaned = super().clean()  # a wrong password raises: its attempts stay counted
            for ticket in tickets:
                throttle.give_back(ticket)
            return cleaned
        return super().clean()


class ThrottledResetForm(PasswordResetForm):
    """Reset links are limited per address and per email, and one is sent per address."""

    throttled = False

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        tickets = [
            throttle.attempt(throttle.RESET_ADDRESS, client_address(self.request)),
            throttle.attempt(throttle.RESET_EMAIL, email.casefold()),
        ]
        try:
            _check(tickets)
        except ValidationError:
            self.throttled = True
            raise
        return email

    def get_users(self, email):
        """The one account with this address (the most recent, if old data holds several)."""
        users = sorted(super().get_users(email), key=lambda user: user.date_joined, reverse=True)
        return users[:1]


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ThrottledResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 429 if form.throttled else 400
        return response


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("notes:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("notes:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)
