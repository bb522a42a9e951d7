"""Reads of the training: attendance, results, the dashboard's progress, certificates.

One module per subject: `attendance`, `trainers` (the trainer's pages), `results` (with
the roster export), `progress` (the job seeker's dashboard) and `certificates`.

The certificate selectors other apps use (in `certificates`):
- `certificate_list_valid_for(*, trainee)`: the person's certificates that are not
  revoked (the employers' gate in placements asks this);
- `trainee_list_graduates(*, program=None, track=None)`: people holding a valid
  certificate (matching vacancies for graduates);
- `certificate_list_valid_for_user(*, user)`, `certificate_track_ids_by_user(*, track_ids)`:
  the same for an account, and per track (placements' requirements and digests);
- `certificate_get_by_code(*, code)`: the public verification.

The trainer's pages read `cohort_list_for_trainer`, `cohort_get_for_trainer` (404 for an
intake not assigned to the requester) and `trainer_session`, all in `trainers`.
"""

from __future__ import annotations
