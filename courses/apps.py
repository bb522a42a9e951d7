from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training courses")

    def ready(self):
        # The profile page (trainees) says which documents open intakes ask for.
        from courses.catalogue.selectors import program_documents_asked_open
        from trainees.selectors import documents_asked_reader_register

        documents_asked_reader_register(program_documents_asked_open)

        # A job seeker's cached dashboard goes stale when their rows change.
        from courses import fragments

        fragments.connect()
