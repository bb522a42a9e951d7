"""Staff screens of certification: schemes and their units, assessments with their
registrations, results (K/BK per unit) and the BNSP certificate number, and the registry
(filters by scheme, status, employer, expiry; verify with the scan; revoke; exports)."""

from __future__ import annotations
