"""Hostile column headers and account names, uploaded in a real browser, are shown as text.

A survey whose extra grouping columns are headed ``![x](http://127.0.0.1:9/x.png)`` and
``[Verify your account](http://127.0.0.1:9/verify)``, and a CRM whose account names are Markdown links
and images: on every page visited the texts are visible as typed, and the page holds no link and no
image pointing at the planted address (127.0.0.1:9, the discard port on this machine: nothing is
fetched from anywhere else even when it fails).
"""

from __future__ import annotations

HOST = "127.0.0.1:9"
IMAGE_HEADER = f"![x](http://{HOST}/planted-x.png)"
LINK_HEADER = f"[Verify your account](http://{HOST}/planted-verify)"
ACCOUNT_LINK = f"[Click me](http://{HOST}/planted-account)"
ACCOUNT_IMAGE = f"![logo](http://{HOST}/planted-logo.png)"


def hostile_upload(make_upload):
    upload = make_upload("MKUP", n_responses=300, n_accounts=12, seed=11)
    survey = upload.survey_frame.copy()
    survey[IMAGE_HEADER] = ["North", "South", "East"] * (len(survey) // 3) + ["North"] * (len(survey) % 3)
    survey[LINK_HEADER] = ["Plan A", "Plan B"] * (len(survey) // 2) + ["Plan A"] * (len(survey) % 2)
    crm = upload.crm_frame.copy()
    crm.loc[crm.index[0], "Account Name"] = ACCOUNT_LINK
    crm.loc[crm.index[1], "Account Name"] = ACCOUNT_IMAGE
    upload.survey = survey.to_csv(index=False).encode("utf-8")
    upload.crm = crm.to_csv(index=False).encode("utf-8")
    return upload


def planted_markup(user) -> dict[str, list[str]]:
    """Links and images whose address holds a planted path (however it is encoded), each with the
    HTML around it so a failure says where it was rendered."""
    found = user.page.evaluate(
        """() => ({
            links: [...document.querySelectorAll('a[href]')].map(a => a.href.includes('planted')
                ? a.href + ' in ' + a.parentElement.parentElement.outerHTML.slice(0, 500) : a.href),
            images: [...document.querySelectorAll('img[src]')].map(i => i.src.includes('planted')
                ? i.src + ' in ' + i.parentElement.parentElement.outerHTML.slice(0, 500) : i.src),
        })"""
    )
    return {kind: [url for url in urls if "planted" in url] for kind, urls in found.items()}


def test_hostile_headers_and_account_names_render_no_link_or_image(open_session, make_upload):
    upload = hostile_upload(make_upload)
    user = open_session("markup")
    requested: list[str] = []
    user.page.on("request", lambda request: requested.append(request.url) if "planted" in request.url else None)
    user.go_to("data")
    user.upload("data_upload_survey", upload.survey_name, upload.survey)
    user.upload("data_upload_crm", upload.crm_name, upload.crm)
    user.click("data_load_button")
    assert "Loaded" in user.text()
    user.shot("markup-loaded")
    for page in ("overview", "segments", "accounts", "account", "follow_up"):
        user.go_to(page)
        # shown as typed (md_escape puts an invisible word joiner after "http" so it is never a link)
        sidebar = user.page.locator('[data-testid="stSidebar"]').inner_text().replace("\u2060", "")
        assert IMAGE_HEADER in sidebar and LINK_HEADER in sidebar, sidebar[:1500]
        assert planted_markup(user) == {"links": [], "images": []}, page
        user.shot(f"markup-{page}")
    assert requested == []  # nothing was ever fetched from the planted address
