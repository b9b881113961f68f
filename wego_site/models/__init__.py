"""Pydantic schemas for every kind of content file (one module per kind)."""

from .event import Event, Location
from .member import Member, Role
from .organisation import Organisation
from .page import Page
from .project import Budget, Project
from .site import SiteSettings
from .taxonomies import Taxonomies

__all__ = [
    "Budget",
    "Event",
    "Location",
    "Member",
    "Organisation",
    "Page",
    "Project",
    "Role",
    "SiteSettings",
    "Taxonomies",
]
