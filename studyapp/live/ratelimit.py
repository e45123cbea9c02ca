"""Wrong join codes, limited per client address (see accounts.throttle.JOIN_ADDRESS).

A correct code gives its attempt back, so only mistakes use the allowance: a whole class
behind one NAT, each player mistyping a code or two, still gets in. Once an address is over
the limit every code is refused, right or wrong, so that a refusal says nothing about codes.
"""

from studyapp.accounts import throttle
from studyapp.http import client_address


def join_attempt(request) -> throttle.Ticket:
    return throttle.attempt(throttle.JOIN_ADDRESS, client_address(request))


def join_succeeded(ticket: throttle.Ticket) -> None:
    throttle.give_back(ticket)
