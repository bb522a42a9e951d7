"""Writes of certification: assessment registrations and results, the credential
registry (record, verify, revoke, the holder left the employer) and the daily reminders.

The portal records, verifies and reminds: a credential issued elsewhere (a BNSP
certificate, a K3 licence) is recorded with its number and issuer, never issued here.

One module per subject: `assessments` (registrations, APL forms, results, the BNSP
certificate), `credentials` (the registry) and `reminders` (the daily renewal reminders).
"""

from __future__ import annotations
