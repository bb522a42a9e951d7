"""Staff screens of admissions: applications, the cohort's selection tools, offers and runs."""

from __future__ import annotations
