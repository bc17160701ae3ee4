"""The one door: which rows a user may see or change, and what a role may do.

Every read and write of a scoped object goes through ``restrict`` (a queryset narrowed
to what the user may see or change) or ``access`` (one object, or ``NotFound``). Who may
do what outside rows — city-wide settings, recomputes, unmasking — is asked of
``capabilities.require`` in the services. No other module filters by district.
"""

from .door import (
    CHANGE,
    CLAIM,
    VIEW,
    WriteScope,
    access,
    district_staff,
    restrict,
    visible_district_ids,
)
from .scope import Scope, scope_of

__all__ = ["CHANGE", "CLAIM", "VIEW", "Scope", "access", "district_staff", "restrict", "scope_of",
           "visible_district_ids", "WriteScope"]
