"""Fixtures for end-to-end tests in a real headless Chromium against a real Streamlit server.

The app is started once per test session (``streamlit run app.py`` on 127.0.0.1 and a free port)
and driven with Playwright's sync API through Debian's Chromium (``/usr/bin/chromium``; nothing is
ever downloaded). Without that browser or the playwright package the tests are skipped with the
reason, unless ``CX_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns the skip into a failure, so CI
can never pass by silently skipping them.

Tests talk to the app through :class:`AppSession`, which finds widgets by their stable keys
(Streamlit renders ``key="x"`` as the CSS class ``st-key-x``) and saves a screenshot of every step
under ``test-artifacts/browser/``. To cover a new page, add a flow that calls
``session.go_to("<url_path>")`` and checks what the page shows; see test_e2e.py.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("CX_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google's servers at start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SERVER_START_TIMEOUT_S = 90
STEP_TIMEOUT_MS = 45_000
DEFAULT_PAGE = "overview"  # the page registered with default=True in app.py (served at /)
SERVER_PIDS: dict[str, int] = {}
"""Base URL -> process id of each server :func:`streamlit_server` is running (to measure its memory)."""


def _unavailable_reason() -> str | None:
    if not (Path(CHROMIUM).exists() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (install Debian's 'chromium' package, as .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CX_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here (CX_REQUIRE_BROWSER=1) but cannot run: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(log_name: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run app.py`` on 127.0.0.1 and a free port; yields its base URL once healthy; stops it.

    Only the health endpoint is requested before the URL is yielded, so a test's first page request
    really is the first one the server sees. ``env`` replaces the environment (default: this one);
    the server's output goes to ``test-artifacts/browser/<log_name>``.
    """
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / log_name
    env = dict(os.environ if env is None else env, PYTHONUNBUFFERED="1", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
    command += ["--browser.gatherUsageStats", "false"]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while True:
                if server.poll() is not None:
                    pytest.fail(f"streamlit exited with code {server.returncode}; see {log_path}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not become healthy in {SERVER_START_TIMEOUT_S}s; see {log_path}")
                time.sleep(0.3)
            SERVER_PIDS[url] = server.pid
            yield url
        finally:
            SERVER_PIDS.pop(url, None)
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=15)


@pytest.fixture(scope="session")
def app_url():
    """Start ``streamlit run app.py`` from the repository root; yield its base URL; stop it."""
    reason = _unavailable_reason()
    if reason:
        _skip_or_fail(reason)
    with streamlit_server("streamlit-server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser(app_url):
    """One headless Chromium for the session (each test opens its own contexts = sessions)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives every browser a fresh, temporary user data dir of its own.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class AppSession:
    """One person's browser session (a Playwright context) on the running app."""

    def __init__(self, browser, base_url: str, name: str):
        self.base_url = base_url
        self.name = name
        self.downloads = Path(tempfile.mkdtemp(prefix=f"cx-{name}-"))
        # English browser: the app may pick its language from the browser's
        self.context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="en-US"
        )
        self.context.set_default_timeout(STEP_TIMEOUT_MS)
        self.page = self.context.new_page()
        self.step = 0
        # Everything the server sends to this tab arrives over Streamlit's websocket: keeping the
        # frames lets isolation tests prove another session's data never reached this browser.
        self.received: list[bytes] = []
        self.page.on("websocket", self._record_websocket)

    def _record_websocket(self, websocket) -> None:
        def keep(payload) -> None:
            self.received.append(payload.encode("utf-8") if isinstance(payload, str) else bytes(payload))

        websocket.on("framereceived", keep)

    def received_bytes(self) -> bytes:
        """All bytes the server has sent this tab over websockets so far (every session of it)."""
        return b"".join(self.received)

    # --- navigation -------------------------------------------------------------------------
    def open(self) -> None:
        """Load the app (a new Streamlit session) and wait until its first run is finished."""
        self.page.goto(self.base_url + "/")
        self.wait_idle()

    def reload(self) -> None:
        """Reload the tab: Streamlit starts a new session for it."""
        self.page.reload()
        self.wait_idle()

    def go_to(self, url_path: str) -> None:
        """Switch page with the sidebar navigation (keeps the session, unlike a new URL).

        ``url_path`` is the page's ``url_path`` in app.py; the default page lives at ``/``.
        """
        query = r"/?(?:[?#].*)?$"  # the app may keep its state (language...) in the query string
        if url_path == DEFAULT_PAGE:
            link, pattern = f'a[href="{self.base_url}/"]', rf"^{re.escape(self.base_url)}{query}"
        else:
            link, pattern = f'a[href$="/{url_path}"]', rf"/{re.escape(url_path)}{query}"
        self.page.locator(f'[data-testid="stSidebarNav"] {link}').click()
        self.page.wait_for_url(re.compile(pattern))
        self.wait_idle()

    def wait_idle(self) -> None:
        """Wait until the script run triggered by the last action has finished.

        The app root carries ``data-test-script-state``; a run is requested asynchronously, so
        wait briefly for it to start, then for it to stop.
        """
        app = self.page.locator('[data-testid="stApp"]')
        app.wait_for()
        time.sleep(0.2)
        self.page.wait_for_function(
            """() => {
                const app = document.querySelector('[data-testid="stApp"]');
                return app && app.getAttribute('data-test-script-state') === 'notRunning'
                    && !document.querySelector('[data-testid="stSkeleton"]');
            }""",
            timeout=STEP_TIMEOUT_MS,
        )

    # --- widgets ----------------------------------------------------------------------------
    def widget(self, key: str):
        """The element of the widget or container with Streamlit key ``key``."""
        return self.page.locator(f".st-key-{key}")

    def upload(self, key: str, name: str, data: bytes) -> None:
        """Put a file in the file uploader with key ``key`` and wait for the rerun."""
        self.widget(key).locator('input[type="file"]').set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
        )
        self.widget(key).get_by_text(name).wait_for()
        self.wait_idle()

    def click(self, key: str, *, wait: bool = True) -> None:
        """Click the button with key ``key``; ``wait=False`` returns at once (to overlap sessions)."""
        self.widget(key).locator("button").first.click()
        if wait:
            self.wait_idle()

    def open_options(self, key: str) -> None:
        """Open the option list of the selectbox or multiselect with key ``key``, from the keyboard.

        A mouse click on Streamlit's combobox input sometimes only focuses it: the browser sees the
        mousedown and the focus, no script run follows, and ``aria-expanded`` stays "false" (about
        one run in two once another multiselect on the page was used). Focus then ArrowDown is the
        ARIA combobox pattern's own way to open the list, and it has no such race.
        """
        from playwright.sync_api import expect

        box = self.widget(key).locator("input").first
        box.focus()
        if box.get_attribute("aria-expanded") != "true":
            box.press("ArrowDown")
        expect(box).to_have_attribute("aria-expanded", "true")
        self.page.get_by_role("option").first.wait_for()

    def choose(self, key: str, *options: str) -> None:
        """Select ``options`` in the multiselect with key ``key``."""
        for option in options:
            self.open_options(key)
            self.page.get_by_role("option", name=option, exact=True).click()
            self.wait_idle()
        self.page.keyboard.press("Escape")

    def download(self, key: str) -> bytes:
        """Click the download button with key ``key`` and return the downloaded bytes."""
        with self.page.expect_download() as info:
            self.widget(key).locator("button, a").first.click()
        path = self.downloads / info.value.suggested_filename
        info.value.save_as(path)
        return path.read_bytes()

    def edit_grid_cell(self, grid, row: int, column: int, text: str | None = None) -> None:
        """Edit one cell of an ``st.data_editor`` with the keyboard, as a person would.

        ``grid`` is a :meth:`grid` locator; ``row``/``column`` count from 0 over the shown columns.
        ``text=None`` toggles a checkbox cell (space); otherwise the text is typed into the cell.
        Returns at once: wait for the page's reaction (e.g. ``page.get_by_text(...).wait_for()``).
        """
        # The grid draws on a canvas: click its first row's left-most drawn cell (this gives the
        # grid the keyboard), read which cell that is from its accessibility table, then move
        # there with the arrow keys (which scroll the grid as needed).
        grid.scroll_into_view_if_needed()
        box = grid.locator('[data-testid="stDataFrameResizable"]').bounding_box()
        self.page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)
        self.page.wait_for_timeout(300)  # the accessibility table follows the click a moment later
        selected = grid.locator('[role="gridcell"][aria-selected="true"]').first
        selected.wait_for(state="attached", timeout=5000)
        start_col, start_row = (int(part) for part in selected.get_attribute("id").split("-")[2:4])
        for _ in range(abs(row - start_row)):
            self.page.keyboard.press("ArrowDown" if row > start_row else "ArrowUp")
        for _ in range(abs(column - start_col)):
            self.page.keyboard.press("ArrowRight" if column > start_col else "ArrowLeft")
        self.page.wait_for_timeout(300)  # let the grid finish scrolling to the cell
        target = grid.locator(f"#glide-cell-{column}-{row}")
        if target.count() != 1 or target.get_attribute("aria-selected") != "true":
            # never press a key on the wrong cell (it could tick someone else's item)
            raise AssertionError(f"{self.name}: could not select cell ({row}, {column})")
        if text is None:
            self.page.keyboard.press(" ")
            return
        # the cell's editor opens as an overlay (Enter, or else typing starts it): type only once
        # it has the focus
        editing = "() => document.activeElement?.classList.contains('gdg-input')"
        for key in ("Enter", "Enter", text[0]):
            self.page.keyboard.press(key)
            try:
                self.page.wait_for_function(editing, timeout=2000)
                break
            except Exception:  # noqa: BLE001 - playwright's TimeoutError: try the next way in
                continue
        else:
            raise AssertionError(f"{self.name}: the cell editor did not open")
        box = self.page.locator("textarea.gdg-input")
        for _ in range(3):  # the editor may reset its value just after opening: type until it holds
            self.page.wait_for_timeout(300)
            box.fill("")
            self.page.keyboard.type(text)
            if box.input_value() == text:
                break
        self.page.keyboard.press("Enter")

    # --- reading ----------------------------------------------------------------------------
    def grid(self, header: str | None = None):
        """The first ``st.dataframe``/``st.data_editor`` on the page with a column headed ``header``.

        Data frames carry no key class in the page, so they are found by a header (``None``: the first).
        """
        grids = self.page.locator('[data-testid="stDataFrame"]')
        if header is not None:
            grids = grids.filter(has=self.page.locator('[role="columnheader"]', has_text=header))
        return grids.first

    def grid_cells(self, grid) -> list[str]:
        """The texts of the grid's cells that are drawn (the visible rows and columns)."""
        grid.scroll_into_view_if_needed()  # a grid out of sight may not draw its cells
        cells = grid.locator('[role="gridcell"]')
        cells.first.wait_for(state="attached")
        return cells.all_inner_texts()

    def wait_until(self, condition, what: str, timeout_s: float = STEP_TIMEOUT_MS / 1000) -> None:
        """Poll ``condition()`` until it is true (the page may need a rerun or two to get there)."""
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: timed out waiting until {what}")
            time.sleep(0.2)

    def metric(self, key: str) -> str:
        """The value text of the ``st.metric`` inside the container with key ``key``."""
        return self.widget(key).locator('[data-testid="stMetricValue"]').inner_text().strip()

    def text(self) -> str:
        """Every visible text of the page (main area and sidebar)."""
        return self.page.locator('[data-testid="stApp"]').inner_text()

    def shot(self, label: str) -> Path:
        """Save a full-page screenshot as a test artifact, numbered in step order."""
        self.step += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", label)
        path = ARTIFACTS / f"{self.name}-{self.step:02d}-{safe}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()
        shutil.rmtree(self.downloads, ignore_errors=True)


@pytest.fixture()
def open_session(browser, app_url, request):
    """Factory: ``open_session("alice")`` opens the app in a new browser context (a new session)."""
    sessions: list[AppSession] = []
    test_name = re.sub(r"[^A-Za-z0-9_]+", "-", request.node.name)

    def _open(name: str = "user") -> AppSession:
        session = AppSession(browser, app_url, f"{test_name}-{name}")
        sessions.append(session)
        session.open()
        return session

    yield _open
    for session in sessions:
        if getattr(request.node, "rep_call_failed", False):
            session.shot("failure")
        session.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call_failed = report.failed


class Upload:
    """A small survey + CRM export pair, generated with a fixed seed, and what the app must show.

    The expected figures are computed here with plain pandas, independently of cx_core, and every
    account id starts with ``marker`` so a test can tell whose data is on screen.
    """

    def __init__(
        self,
        marker: str,
        n_responses: int,
        n_accounts: int,
        seed: int,
        nps_column: str | None = None,
        bad_rows: int = 0,
    ):
        from bench.synthetic import NPS_COLUMN, synthetic_frames

        survey, crm = synthetic_frames(n_responses, n_accounts, seed=seed)
        survey["Account ID"] = survey["Account ID"].str.replace("ACC-", f"{marker}-", regex=False)
        crm["Account ID"] = crm["Account ID"].str.replace("ACC-", f"{marker}-", regex=False)
        self.nps_column = nps_column or NPS_COLUMN
        survey = survey.rename(columns={NPS_COLUMN: self.nps_column})
        if bad_rows:  # unreadable NPS answers: the app must reject exactly these rows
            survey[self.nps_column] = survey[self.nps_column].astype(object)
            survey.loc[survey.index[:bad_rows], self.nps_column] = "eleven"
        self.bad_rows = bad_rows
        self.marker = marker
        self.survey_frame, self.crm_frame = survey, crm
        self.survey = survey.to_csv(index=False).encode("utf-8")
        self.crm = crm.to_csv(index=False).encode("utf-8")
        self.survey_name = f"{marker.lower()}-survey.csv"
        self.crm_name = f"{marker.lower()}-crm.csv"
        valid = survey.iloc[bad_rows:]
        self.rows = len(survey)
        self.responses = len(valid)
        self.accounts = valid["Account ID"].nunique()

    def nps_text(self, segment: str | None = None) -> str:
        """The NPS as the Overview card shows it (e.g. ``+23``), for everyone or one segment."""
        survey = self.survey_frame.iloc[self.bad_rows :]
        if segment is not None:
            ids = set(self.crm_frame.loc[self.crm_frame["Segment"] == segment, "Account ID"])
            survey = survey[survey["Account ID"].isin(ids)]
        scores = survey[self.nps_column].astype(int)
        score = 100.0 * ((scores >= 9).sum() - (scores <= 6).sum()) / len(scores)
        return f"{score:+.0f}"


@pytest.fixture(scope="session")
def make_upload():
    """Factory for :class:`Upload` (kept a fixture so test modules need no imports)."""
    return Upload
