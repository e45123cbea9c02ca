"""Amazon SQS simulator: standard and FIFO queues on a virtual clock (standard library only).

engine = SqsEngine()
engine.apply({"Action": "CreateQueue", "QueueName": "orders"})
engine.apply({"Action": "SendMessage", "QueueName": "orders", "MessageBody": "A"})
engine.totals()                     # {"Queues", "Messages", "Bytes"}: what it stores
view = snapshot(engine)             # queues, counts, messages with states and countdowns
state = engine.to_dict()            # plain JSON; SqsEngine.from_dict(state) restores it
head, parts = engine.to_parts()     # the same state in increments: a head, one part per
head, changed = engine.to_parts(changed=True)  # message; then only what changed since
engine = SqsEngine.from_parts(head, parts)
"""

from .attributes import queue_arn
from .errors import SqsError
from .scenario import engine_for, load_scenario, resolve_references, run_scenario, run_steps
from .service import ACTIONS, SqsEngine
from .view import snapshot

__all__ = [
    "ACTIONS",
    "SqsEngine",
    "SqsError",
    "engine_for",
    "load_scenario",
    "queue_arn",
    "resolve_references",
    "run_scenario",
    "run_steps",
    "snapshot",
]
