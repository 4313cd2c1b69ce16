"""The project store: one SQLite file per study folder, and the only place that speaks SQL."""

from ._project import CODING_COLUMNS, PROJECT_FILE, AddResult, Project, find_project, init_project, open_project

__all__ = ["CODING_COLUMNS", "PROJECT_FILE", "AddResult", "Project", "find_project", "init_project", "open_project"]
