"""The one place the release number lives; everything else reads it from here."""

__version__ = "0.2.0"

#: The day this release was cut (ISO 8601); ``datapackage.json``'s ``created``.
__released__ = "2026-12-04"
