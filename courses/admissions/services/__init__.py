"""Writes of admissions, one module per step: applications, scores, selection, offers,
re-registration, staff moves and the periodic sweep. Every status change goes through
`courses.admissions.transitions.application_transition`.
"""

from __future__ import annotations
