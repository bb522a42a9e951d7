"""Staff screens of the courses app.

Django's admin autodiscovery imports this module; each capability's admin module
registers its own models when imported.
"""

from courses.admissions.admin import applications, records  # noqa: F401
from courses.catalogue import admin as catalogue  # noqa: F401
from courses.certification.admin import assessments, credentials  # noqa: F401
from courses.training import admin as training  # noqa: F401
