"""Writes of the training: days, attendance, unit results, outcomes, certificates.

Outcomes move the application through the one door (`application_transition`): in
training → passed / not passed / dropped out. A pass issues the certificate in the same
transaction and queues the "certificate issued" e-mail.

One module per subject: `attendance` (training days, marks), `results` (unit results,
outcomes) and `certificates` (issue, revoke).
"""

from __future__ import annotations
