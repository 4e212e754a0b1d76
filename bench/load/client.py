"""A simulated person: speaks Streamlit's websocket protocol the way the browser does, without a browser.

It opens the app (``GET /_stcore/health`` for the cookies a browser gets: the XSRF token and the
balancer's route), connects ``/_stcore/stream``, and sends ``BackMsg`` protobufs: ``rerun_script``
with the page, the widget values and button clicks, ``file_urls_request`` before uploading a file
with ``PUT`` like ``st.file_uploader`` does. It reads the ``ForwardMsg`` stream: widget ids from the
elements drawn, the page list from ``navigation``, and the end of a run from ``script_finished``.

The time of a page is measured from sending the rerun request to receiving ``script_finished``:
what a person waits for, set by the server (the client only decodes frames).
"""

from __future__ import annotations

import asyncio
import http.client
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileURLs, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

XSRF_COOKIE = "_streamlit_xsrf"
FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
ERROR_ALERT = 1  # Alert.Format.ERROR
WARNING_ALERT = 2  # Alert.Format.WARNING


class ProtocolError(RuntimeError):
    """The server did not answer as a Streamlit server does (or not in time)."""


@dataclass
class RunResult:
    """One script run as the person saw it."""

    page: str
    seconds: float
    status: str  # "ok", "compile_error", "rerun", "timeout"
    exceptions: list[str] = field(default_factory=list)  # st.exception elements (a crashed page)
    error_alerts: list[str] = field(default_factory=list)  # st.error boxes (the app's plain-language errors)
    warnings: list[str] = field(default_factory=list)  # st.warning boxes (e.g. a link that opened nothing)
    widgets: dict[str, tuple[str, object]] = field(default_factory=dict)  # user key -> (element id, element)

    @property
    def ok(self) -> bool:
        return self.status == "ok" and not self.exceptions


def _user_key(element_id: str) -> str:
    # Streamlit builds ids as "$$ID-<hash>-<user key>" for widgets with a key.
    parts = element_id.split("-", 2)
    return parts[2] if len(parts) == 3 else element_id


class StreamlitUser:
    """One browser session against ``base_url`` (``http://127.0.0.1:PORT``)."""

    def __init__(self, base_url: str, timeout: float = 300.0, query_string: str = ""):
        self.base = urllib.parse.urlsplit(base_url)
        self.query_string = query_string  # the page address's query (a shared link: "ws=<id>")
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.session_id: str | None = None
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page = ""
        self.widget_states: dict[str, WidgetState] = {}  # what the browser would send on this page
        self._ws = None
        self._inbox: asyncio.Queue[ForwardMsg] = asyncio.Queue()
        self._reader: asyncio.Task | None = None
        self.bytes_received = 0

    # --- HTTP (in a thread: a few requests per person) ------------------------------------------
    def _http(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=self.timeout)
        try:
            sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
            sent.update(headers or {})
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie = value.split(";", 1)[0]
                    key, _, val = cookie.partition("=")
                    self.cookies[key.strip()] = val.strip()
            return response.status, data
        finally:
            conn.close()

    # --- the websocket ----------------------------------------------------------------------------
    async def connect(self) -> None:
        status, _ = await asyncio.to_thread(self._http, "GET", "/_stcore/health")
        if status != 200:
            raise ProtocolError(f"health check answered {status}")
        url = f"ws://{self.base.hostname}:{self.base.port}/_stcore/stream"
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self._ws = await websockets.connect(
            url,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": cookie},
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
        )
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for frame in self._ws:
                self.bytes_received += len(frame)
                msg = ForwardMsg()
                msg.ParseFromString(frame)
                await self._inbox.put(msg)
        except websockets.ConnectionClosed:
            pass

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.wait([self._reader], timeout=5)

    async def _send(self, back: BackMsg) -> None:
        await self._ws.send(back.SerializeToString())

    async def _next(self, deadline: float) -> ForwardMsg:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        if self._reader is not None and self._reader.done() and self._inbox.empty():
            raise ProtocolError("the server closed the connection")
        return await asyncio.wait_for(self._inbox.get(), remaining)

    # --- runs ---------------------------------------------------------------------------------------
    async def run(self, page: str | None = None, widgets: list[WidgetState] | None = None) -> RunResult:
        """Ask for a run of ``page`` (default: the current one) and wait until it finished.

        ``widgets`` are changed widget values; they join the page's other values, which are sent
        with them (as the browser does). A page switch forgets the previous page's values.
        """
        if page is not None and page != self.page:
            self.widget_states = {}
            self.page = page
        for state in widgets or []:
            self.widget_states[state.id] = state
        back = BackMsg()
        client_state = back.rerun_script
        client_state.query_string = self.query_string
        client_state.page_name = self.page
        if self.page in self.pages:
            client_state.page_script_hash = self.pages[self.page]
        for state in self.widget_states.values():
            client_state.widget_states.widgets.append(state)
        started = time.monotonic()
        await self._send(back)
        # a button's click is a one-off: the browser does not send it again
        for key, state in list(self.widget_states.items()):
            if state.WhichOneof("value") == "trigger_value":
                del self.widget_states[key]
        return await self._collect(self.page, started)

    async def _collect(self, page: str, started: float) -> RunResult:
        deadline = started + self.timeout
        result = RunResult(page=page, seconds=0.0, status="timeout")
        while True:
            try:
                msg = await self._next(deadline)
            except TimeoutError:
                result.seconds = time.monotonic() - started
                return result
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":
                for app_page in msg.navigation.app_pages:
                    self.pages[app_page.url_pathname] = app_page.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._note_element(msg.delta.new_element, result)
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # a newer run of ours follows
                result.seconds = time.monotonic() - started
                result.status = "ok" if status in FINISHED_OK else "compile_error"
                return result

    @staticmethod
    def _note_element(element, result: RunResult) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message[:200]}")
        elif kind == "alert" and element.alert.format == ERROR_ALERT:
            result.error_alerts.append(element.alert.body[:200])
        elif kind == "alert" and element.alert.format == WARNING_ALERT:
            result.warnings.append(element.alert.body[:200])
        elif kind in {"file_uploader", "button", "multiselect", "selectbox", "radio", "toggle", "checkbox"}:
            widget = getattr(element, kind)
            if widget.id:
                result.widgets[_user_key(widget.id)] = (widget.id, widget)

    # --- widgets ----------------------------------------------------------------------------------------
    @staticmethod
    def click(element_id: str) -> WidgetState:
        state = WidgetState(id=element_id)
        state.trigger_value = True
        return state

    @staticmethod
    def choose(element_id: str, values: list[str]) -> WidgetState:
        state = WidgetState(id=element_id)
        state.string_array_value.data.extend(values)
        return state

    async def upload(self, element_id: str, name: str, data: bytes, mime: str = "text/csv") -> WidgetState:
        """Upload ``data`` as ``st.file_uploader`` does; returns the widget value to send with the next run."""
        request = BackMsg()
        request_id = uuid.uuid4().hex
        request.file_urls_request.request_id = request_id
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id or ""
        await self._send(request)
        deadline = time.monotonic() + self.timeout
        while True:
            msg = await self._next(deadline)
            if msg.WhichOneof("type") == "file_urls_response" and msg.file_urls_response.response_id == request_id:
                break
        response = msg.file_urls_response
        if response.error_msg or not response.file_urls:
            raise ProtocolError(f"no upload URL: {response.error_msg}")
        urls: FileURLs = response.file_urls[0]
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                f"Content-Type: {mime}\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        if XSRF_COOKIE in self.cookies:
            headers["X-Xsrftoken"] = self.cookies[XSRF_COOKIE]
        path = urllib.parse.urlsplit(urls.upload_url).path
        status, answer = await asyncio.to_thread(self._http, "PUT", path, body, headers)
        if status not in (200, 204):
            raise ProtocolError(f"upload answered {status}: {answer[:200]!r}")
        state = WidgetState(id=element_id)
        info = UploadedFileInfo(file_id=urls.file_id, name=name, size=len(data))
        info.file_urls.CopyFrom(urls)
        state.file_uploader_state_value.uploaded_file_info.append(info)
        return state
