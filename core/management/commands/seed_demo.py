"""`python manage.py seed_demo [--scale N]`: load demo data for every app.

Each app that has demo data provides `<app>/demo.py` with

    def seed(rng: random.Random, scale: int) -> dict[str, int]

which must be idempotent (update_or_create / bulk upserts on natural keys) and draw all
randomness from `rng`. Apps run in INSTALLED_APPS order (trainees before courses before
placements, the order of the dependencies), each with its own generator seeded from a
fixed seed and its label, so adding demo data to one app never reshuffles another's.
The kernel discovers the modules; it imports no app.
"""

import random
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_module, module_has_submodule

SEED = 20260323  # fixed: the same data on every machine and every run


def demo_modules():
    """(app label, module) of every installed app that has a `demo` module."""
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "demo"):
            yield config.label, import_module(f"{config.name}.demo")


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent, deterministic); --scale N multiplies volumes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the volumes (programs, cohorts, ...) for benchmarks; default 1.",
        )

    def handle(self, *args, scale, **options):
        # No DEBUG guard: `make bench` seeds its own database with production settings.
        # Never run this against the live database (it publishes demo programs).
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        for label, module in demo_modules():
            started = time.monotonic()
            with transaction.atomic():
                counts = module.seed(random.Random(f"{SEED}:{label}"), scale)
            summary = ", ".join(f"{count} {name}" for name, count in counts.items())
            self.stdout.write(f"{label}: {summary} ({time.monotonic() - started:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded (scale {scale})."))
