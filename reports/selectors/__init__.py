"""Reads of the reports app: public figures (`dashboard`), staff funnel (`funnel`),
placement tracer (`tracer`); shared step expressions in `stages`."""

from .dashboard import (
    FIGURES,
    Dashboard,
    Figure,
    Row,
    dashboard_build,
    dashboard_cache_clear,
    dashboard_get,
    figure_count_by_area,
    figure_count_by_month,
    figure_count_by_track,
    figure_get,
    months_ending,
)

__all__ = [
    "FIGURES",
    "Dashboard",
    "Figure",
    "Row",
    "dashboard_build",
    "dashboard_cache_clear",
    "dashboard_get",
    "figure_count_by_area",
    "figure_count_by_month",
    "figure_count_by_track",
    "figure_get",
    "months_ending",
]
