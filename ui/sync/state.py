"""Every session-state key that more than one page or helper shares, and the page context.

One module owns these names so two pages can never disagree on a spelling (a test fails when a
string literal of one of them appears anywhere else in ``app_pages/`` or ``ui/``). Keys private
to one page's widgets (``segments_dimension``...) stay in that page: they are prefixed with the
page's name and tests find widgets by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cx_core import Filters, Workspace
from cx_core.report import ReportContext

# --- choices shared by every page ------------------------------------------------------------------
WORKSPACE = "cx_workspace"  #: this session's Workspace (ui.sync.session)
DATASET = "cx_dataset_name"  #: "sample", "upload" or "workspace": which data is loaded
LANGUAGE = "app_language"  #: "en" or "ja" (the sidebar's radio and ?lang=)
PRESENTER = "presenter_mode"  #: presenter mode on/off (the sidebar's switch and ?present=1)
FILTERS = "cx_filters"  #: the sidebar's Filters of the last run
MIN_N = "cx_min_n"  #: the sidebar's minimum n of the last run
ROLE_WEIGHTS = "cx_role_weights"  #: role weights edited on Segments, used by the account pages
AS_OF = "cx_as_of"  #: (dataset, date): the account rules' "today"
DRIVER_CATALOGUE = "cx_driver_catalogue"  #: the driver catalogue with the person's need edits
DRIVER_CATALOGUE_OWNER = "cx_driver_catalogue_for"  #: which data the catalogue belongs to
THEMES_LLM_RESULTS = "themes_llm_results"  #: LLM-named themes by cache key (Themes and Account pages)
ACCOUNT_LLM_ACTIONS = "account_llm_actions"  #: LLM-phrased account actions by cache key
URL_READ = "cx_url_state_read"  #: the link's ?present/?lang were read (once per session)
LLM_CAPABILITIES = "llm_capabilities"  #: what each LLM endpoint handles, discovered once per session
MEMO = "_cx_memo"  #: this session's memoised results by slot (ui.sync.session.session_memo / memo_view)
CURRENCY = "sidebar_currency"  #: the currency ARR is stated in (the sidebar's setting; ui.widgets.render)
ASK_PINNED = "cx_ask_pinned"  #: answers pinned on the Ask page: (question, spec dict), for presenter mode and reports
FLASH = "cx_flash"  #: a success message shown once above the next page drawn (ui.runtime.guard)
SCORE_WEIGHTS = "cx_score_weights"  #: how the Overview's scores are weighted (ScoreWeights.to_dict()), saved

# --- slots of the session memo shared by more than one page ---------------------------------------
OFFLINE_THEMES_SLOT = "themes:offline"  #: offline themes by comments hash (Themes and Account pages)

#: every shared key above (the test that no page spells one of them itself reads this)
SHARED_KEYS: tuple[str, ...] = (
    WORKSPACE,
    DATASET,
    LANGUAGE,
    PRESENTER,
    FILTERS,
    MIN_N,
    ROLE_WEIGHTS,
    AS_OF,
    DRIVER_CATALOGUE,
    DRIVER_CATALOGUE_OWNER,
    THEMES_LLM_RESULTS,
    ACCOUNT_LLM_ACTIONS,
    URL_READ,
    MEMO,
    LLM_CAPABILITIES,
    CURRENCY,
    ASK_PINNED,
    FLASH,
    SCORE_WEIGHTS,
)


@dataclass(frozen=True)
class PageContext:
    """What the sidebar decided for this run: every page starts from it.

    ``ws`` is this session's workspace, ``filters`` the sidebar's filters, ``min_n`` the minimum
    answers a group needs to be ranked, ``lang`` the language, ``presenting`` presenter mode.
    """

    ws: Workspace
    filters: Filters
    min_n: int
    lang: str
    presenting: bool = False
    dataset: str = "sample"
    extras: dict[str, Any] = field(default_factory=dict, compare=False)

    def report(self, **extras: Any) -> ReportContext:
        """The report context of this page (same filters, language and min n) with session ``extras``."""
        return ReportContext(self.ws, self.filters, self.lang, self.min_n, {**self.extras, **extras})


# The Overview's weights control (ui.widgets.weights): forgotten when another workspace is opened, so the
# control starts again from that workspace's saved weights.
SCORE_WEIGHTS_WIDGETS = ("overview_weights_by", "overview_weights_margins", "_overview_weights_editor_for")
