"""Staff screens of certification: schemes and their units, assessments with their
registrations, results (K/BK per unit) and the BNSP certificate number, and the registry
(filters by scheme, status, employer, expiry; verify with the scan; revoke; exports).

`assessments` holds the schemes, assessments and registrations, `credentials` the registry.
"""

from __future__ import annotations
