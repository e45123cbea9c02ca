"""Amazon SQS simulator: standard and FIFO queues on a virtual clock (standard library only).

engine = SqsEngine()
engine.apply({"Action": "CreateQueue", "QueueName": "orders"})
engine.apply({"Action": "SendMessage", "QueueName": "orders", "MessageBody": "A"})
state = engine.to_dict()            # plain JSON, e.g. for a web session
engine = SqsEngine.from_dict(state)
view = engine.snapshot()            # queues, counts, messages with states and countdowns
"""

from .errors import SqsError
from .scenario import engine_for, load_scenario, run_scenario, run_steps
from .service import ACTIONS, SqsEngine

__all__ = [
    "ACTIONS",
    "SqsEngine",
    "SqsError",
    "engine_for",
    "load_scenario",
    "run_scenario",
    "run_steps",
]
