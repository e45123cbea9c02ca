"""The readiness model: from what a learner did to a predicted exam score. Pure Python.

Per task statement t (weight W_t = domain % * task % of the exam guide, summing to 1):

- answers: practice and mock-exam answers on the task's questions, each weighted by recency,
  w = 0.5 ** (age_days / HALF_LIFE_DAYS), and a practice answer to a question seen before
  (its answer may be remembered, not known) by REPEAT_WEIGHT: right_t and seen_t;
- recall m_t: the expected share of the task's cards recalled now, sum R_i / N_t, where R_i is
  the FSRS retrievability of each studied card and unstudied cards count 0;
- the learner's overall accuracy a = (sum right + LEARNER_PRIOR_MEAN * LEARNER_PRIOR) /
  (sum seen + LEARNER_PRIOR): a task with few answers starts from how the learner does overall,
- moved by recall: prior_t = clamp(a + RECALL_SHIFT * (m_t - RECALL_CENTRE), FLOOR, CEILING),
- the estimate p_t = (right_t + TASK_PRIOR * prior_t) / (seen_t + TASK_PRIOR): Beta-binomial
  shrinkage, so the data take over as answers accumulate.

The predicted share of right answers is S = sum W_t p_t and the scaled score 100 + 900 S (as
quizzes.services.scaled_score maps a mock exam). Its spread adds what the model does not know
(sum W_t^2 p_t(1 - p_t)/(seen_t + TASK_PRIOR + 1), the shared learner accuracy, and MODEL_SD, the
error the validation found) to the luck of a 65-question exam (sum W_t p_t(1 - p_t) / 65). The
interval is the 80 % range of a real exam's score, and P(pass) is P(at least 45 right of 65),
the fewest that scale to 720. Below MIN_ANSWERS answers there is no prediction.

"Study next" ranks tasks by what an hour of work adds to S: W_t * HOUR_GAIN * (1 - p_t),
weight times weakness. Every constant is checked by benchmarks/readiness_model.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

HALF_LIFE_DAYS = 21.0
REPEAT_WEIGHT = 0.5
TASK_PRIOR = 6.0
LEARNER_PRIOR = 4.0
LEARNER_PRIOR_MEAN = 0.5
RECALL_SHIFT = 0.25
RECALL_CENTRE = 0.35
FLOOR, CEILING = 0.05, 0.98
MODEL_SD = 0.02
HOUR_GAIN = 0.1
MIN_ANSWERS = 30
EXAM_QUESTIONS = 65
PASS_SCORE = 720
PASS_CORRECT = math.ceil((PASS_SCORE - 100 - 0.5) / 900 * EXAM_QUESTIONS)  # 45 of 65
Z80 = 1.2815515655446004  # the 90th percentile of the normal: an 80 % interval
STUDY_NEXT = 3
LITTLE_DATA = 5  # fewer weighted answers on a task: its figure leans on the prior


@dataclass
class TaskEvidence:
    """What the learner did on one task statement (figures already weighted)."""

    code: str
    title: str
    weight: float  # share of the exam, 0..1
    cards: int = 0  # authored cards of the task
    studied: int = 0  # of those, cards the learner has reviewed
    recall_sum: float = 0.0  # sum retrievability of the studied cards, now
    right: float = 0.0  # recency-weighted right answers
    seen: float = 0.0  # recency-weighted answers
    answers: int = 0  # answers, unweighted

    @property
    def recall(self) -> float:
        return self.recall_sum / self.cards if self.cards else 0.0

    @property
    def accuracy(self) -> float | None:
        return self.right / self.seen if self.seen else None


@dataclass
class TaskEstimate:
    evidence: TaskEvidence
    estimate: float  # p_t: the chance of a right answer on an exam question of this task
    prior: float
    gain: float  # scaled points an hour of study adds (weight * weakness)

    @property
    def little_data(self) -> bool:
        return self.evidence.seen < LITTLE_DATA


@dataclass
class Prediction:
    tasks: list[TaskEstimate]
    answers: int
    share: float | None = None
    score: int | None = None
    low: int | None = None
    high: int | None = None
    pass_probability: float | None = None
    study_next: list[TaskEstimate] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.score is not None

    @property
    def missing_answers(self) -> int:
        return max(0, MIN_ANSWERS - self.answers)

    @property
    def pass_percent(self) -> str:
        """P(pass) in whole percent that never claims certainty: "<1" and ">99" at the ends."""
        return percent(self.pass_probability)


def percent(probability: float | None) -> str:
    if probability is None:
        return ""
    if probability < 0.005:
        return "<1"
    if probability > 0.995:
        return ">99"
    return str(round(100 * probability))


def answer_weight(age_days: float, repeat: bool = False) -> float:
    """How much one answer counts: halves every HALF_LIFE_DAYS; less for a repeated question."""
    weight = 0.5 ** (max(0.0, age_days) / HALF_LIFE_DAYS)
    return weight * (REPEAT_WEIGHT if repeat else 1.0)


def scaled(share: float) -> int:
    return round(100 + 900 * min(1.0, max(0.0, share)))


def normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def predict(evidence: list[TaskEvidence]) -> Prediction:
    """The prediction from each task's evidence (see the module docstring for the formulas)."""
    total_weight = sum(task.weight for task in evidence) or 1.0
    right = sum(task.right for task in evidence)
    seen = sum(task.seen for task in evidence)
    learner = (right + LEARNER_PRIOR_MEAN * LEARNER_PRIOR) / (seen + LEARNER_PRIOR)
    learner_var = learner * (1 - learner) / (seen + LEARNER_PRIOR + 1)
    estimates = []
    share = own_var = shared = sampling = 0.0
    for task in evidence:
        weight = task.weight / total_weight
        prior = min(CEILING, max(FLOOR, learner + RECALL_SHIFT * (task.recall - RECALL_CENTRE)))
        p = (task.right + TASK_PRIOR * prior) / (task.seen + TASK_PRIOR)
        share += weight * p
        own_var += weight**2 * p * (1 - p) / (task.seen + TASK_PRIOR + 1)
        shared += weight * TASK_PRIOR / (task.seen + TASK_PRIOR)
        sampling += weight * p * (1 - p) / EXAM_QUESTIONS
        gain = 900 * weight * HOUR_GAIN * (1 - p)
        estimates.append(TaskEstimate(task, p, prior, gain))
    answers = sum(task.answers for task in evidence)
    ranked = sorted(estimates, key=lambda e: (-e.gain, e.evidence.code))
    prediction = Prediction(estimates, answers, study_next=ranked[:STUDY_NEXT])
    if answers < MIN_ANSWERS:
        return prediction
    knowledge_var = own_var + shared**2 * learner_var + MODEL_SD**2
    spread = math.sqrt(knowledge_var + sampling)
    prediction.share = share
    prediction.score = scaled(share)
    prediction.low = scaled(share - Z80 * spread)
    prediction.high = scaled(share + Z80 * spread)
    needed = (PASS_CORRECT - 0.5) / EXAM_QUESTIONS
    prediction.pass_probability = 1 - normal_cdf((needed - share) / spread)
    return prediction
