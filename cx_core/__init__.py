"""cx_core: the pure core of the CX insight explorer (never imports streamlit).

Public API: load files with :func:`load_inputs`, hold them in a :class:`Workspace`, filter with
:class:`Filters`, and compute with :func:`overview`, :func:`scores_by_group` and friends.
"""

from .errors import CXError, InputFileError, InvalidParameterError, LLMError, MappingError, NoDataError
from .filters import NO_FILTERS, Filters
from .ingest import InputReport, LoadedData, Mapping, load_inputs, suggest_mapping
from .messages import t
from .metrics import DEFAULT_MIN_N, GroupScore, Overview, nps_distribution, overview, scores_by_group
from .roles import DEFAULT_ROLE_WEIGHTS, ROLES, normalise_role
from .stats import NpsResult, nps_from_counts
from .summary import build_summary
from .workspace import Workspace

__all__ = [
    "CXError",
    "DEFAULT_MIN_N",
    "DEFAULT_ROLE_WEIGHTS",
    "Filters",
    "GroupScore",
    "InputFileError",
    "InputReport",
    "InvalidParameterError",
    "LLMError",
    "LoadedData",
    "Mapping",
    "MappingError",
    "NO_FILTERS",
    "NoDataError",
    "NpsResult",
    "Overview",
    "ROLES",
    "Workspace",
    "build_summary",
    "load_inputs",
    "normalise_role",
    "nps_distribution",
    "nps_from_counts",
    "overview",
    "scores_by_group",
    "suggest_mapping",
    "t",
]
