"""Crisis detection: does a message speak of suicide, wanting to die or self-harm?

Errs on the side of safety: a false alarm costs a clinician a minute, a miss can cost a life.
`detect(text)` returns a `CrisisResult` with a level (`crisis`, `concern` or None) and the
phrase family that raised it (`reason`), so a clinician sees why. See docs/crisis.md.
"""

from messages.crisis.detector import NO_CRISIS, CrisisResult, detect, is_crisis
from messages.crisis.families import CONCERN, CRISIS
from messages.crisis.normalise import normalise

__all__ = ["CONCERN", "CRISIS", "NO_CRISIS", "CrisisResult", "detect", "is_crisis", "normalise"]
