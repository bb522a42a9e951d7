"""Demo data of the courses app for `manage.py seed_demo` (core), capability by capability.

The catalogue first (tracks, programs, cohorts), then applications, then selection and
training (scores, runs, attendance, results, certificates), then certification (schemes,
the registry, assessments, K3 licences in every status). Each step is deterministic
and idempotent; see the module of each step.
"""

from __future__ import annotations

import random

from courses.admissions import demo as admissions_demo
from courses.catalogue import demo as catalogue_demo
from courses.certification import demo as certification_demo
from courses.training import demo as training_demo


def seed(rng: random.Random, scale: int = 1) -> dict[str, int]:
    """Seed the four capabilities in order; return the number of rows of each kind."""
    return {
        **catalogue_demo.seed(rng, scale),
        **admissions_demo.seed(scale),
        **training_demo.seed(),
        **certification_demo.seed(),
    }
