"""Every staff page, on the demo's six weeks of history, at a phone's 390x844 and a laptop's
1280x800: no sideways scroll, every button and link on screen, chart labels at least 12 px,
and axe-core (installed from npm into .tools, run offline) finds no serious or critical
violation. A screenshot of each page at each size is kept in test-artifacts/pages/."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from service.commands.demo import DEMO_GROUP, seed_demo
from service.models import Group, Participant, Role, StaffUser
from service.platform.db import db
from tests.browser.conftest import ARTIFACTS, AXE, DESKTOP, PHONE
from tests.conftest import skip_or_fail

PASSWORD = "every page password"
SIZES = {"phone": PHONE, "desktop": DESKTOP}

# Measured in the page: horizontal overflow, controls outside the viewport, and the smallest
# chart label in CSS pixels (an SVG's text shrinks with the picture).
LAYOUT_PROBE = """() => {
  const width = document.documentElement.clientWidth;
  const off = [];
  for (const el of document.querySelectorAll('a, button, input, select, textarea, summary')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // not rendered (display: none)
    if (el.closest('.skip') || el.closest('.table-wrap') && el.closest('details:not([open])')) continue;
    if (r.left < -1 || r.right > width + 1) off.push((el.innerText || el.name || el.id || el.tagName).slice(0, 40));
  }
  let smallest = null;
  for (const svg of document.querySelectorAll('.chart svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue;
    const scale = box.width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) {
      const px = parseFloat(t.getAttribute('font-size')) * scale;
      smallest = smallest === null ? px : Math.min(smallest, px);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, off, smallest};
}"""


@pytest.fixture
def demo(serve):
    if not AXE.exists():
        skip_or_fail("axe-core is not installed (npm install --prefix .tools axe-core@4)")
    base, app = serve(CRISIS_ALERT_PHONE="+12085550100")
    with app.app_context():
        session = db.session()
        seed_demo(session, app.extensions["paceline.settings"], PASSWORD)
        group = session.scalar(select(Group).where(Group.name == DEMO_GROUP))
        maria = session.scalar(select(Participant).where(Participant.name == "Maria"))
        staff = session.scalar(select(StaffUser).where(StaffUser.role == Role.CLINICIAN))
        ids = {"group": group.id, "maria": maria.id, "phone": maria.phone, "staff": staff.id}
    return base, ids


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(name, path, a heading the page must show)."""
    g, m = ids["group"], ids["maria"]
    return [
        ("home", "/", "Your groups"),
        ("group", f"/groups/{g}", "Members"),
        ("group-new", "/groups/new", "Create a group"),
        ("dashboard", f"/groups/{g}/dashboard", "Alerts"),
        ("dashboard-90", f"/groups/{g}/dashboard?days=90", "Group trends, last 90 days"),
        ("member", f"/participants/{m}", "Pain and mood, last 30 days"),
        ("member-14", f"/participants/{m}?days=14", "Pain and mood, last 14 days"),
        ("member-delete", f"/participants/{m}/delete", "What is deleted"),
        ("replies", f"/groups/{g}/replies", "Replies to read"),
        ("schedule", f"/groups/{g}/schedule", "Schedule"),
        ("simulator", "/simulator", "Phone simulator"),
        ("simulator-phone", f"/simulator?phone={ids['phone']}", "Phone simulator"),
        ("staff", "/admin/staff", "Staff accounts"),
        ("staff-member", f"/admin/staff/{ids['staff']}", "Role, groups and access"),
        ("operations", "/admin/operations", "Operations"),
        ("audit", "/admin/audit", "Audit trail"),
        ("account", "/account", "Where you are signed in"),
    ]


def check(page, name: str, size: str) -> list[str]:
    """Screenshot the page, measure its layout and run axe; return what is wrong."""
    problems = []
    page.screenshot(path=str(ARTIFACTS / "pages" / f"{name}-{size}.png"), full_page=True)
    layout = page.evaluate(LAYOUT_PROBE)
    if layout["scroll"] > layout["width"]:
        problems.append(
            f"{name} at {size}: scrolls sideways ({layout['scroll']} > {layout['width']} px)"
        )
    if layout["off"]:
        problems.append(f"{name} at {size}: controls off screen: {layout['off'][:5]}")
    if layout["smallest"] is not None and layout["smallest"] < 12:
        problems.append(f"{name} at {size}: chart label {layout['smallest']:.1f} px")
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )
    for v in result:
        if v["impact"] in ("serious", "critical"):
            problems.append(f"{name} at {size}: axe {v['impact']} {v['id']} at {v['nodes']}")
    (ARTIFACTS / "pages" / f"{name}-{size}.axe.json").write_text(json.dumps(result, indent=1))
    return problems


def test_every_page_at_phone_and_desktop_sizes(demo, browser):
    base, ids = demo
    (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for size, viewport in SIZES.items():
        # CSP bypassed only so axe can be injected; the journey test runs under the real CSP.
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base}/login")
        problems += check(page, "login", size)
        page.get_by_label("Email").fill("admin@paceline.test")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("heading", name="Your groups").wait_for()
        for name, path, heading in pages(ids):
            response = page.goto(base + path)
            assert response.status == 200, f"{path}: {response.status}"
            page.get_by_text(heading).first.wait_for()
            problems += check(page, name, size)
        context.close()
    assert not problems, "\n".join(problems)


def test_member_chart_draws_what_it_says(demo, browser):
    """The member chart holds readings, 7-day averages, prompt marks, sessions and alerts,
    and its data table has a row per day with something on it."""
    base, ids = demo
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill("clinician@paceline.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{base}/participants/{ids['maria']}?days=90")
    chart = page.locator("#member-chart svg.chart-wide")
    assert chart.is_visible() and not page.locator("#member-chart svg.chart-narrow").is_visible()
    for mark in ("circle.point-pain", "rect.point-mood", "polyline.average-pain",
                 "rect.prompt-answered", "rect.prompt-missed", "line.marker-session",
                 "path.marker-alert"):  # fmt: skip
        assert chart.locator(mark).count() > 0, mark
    page.get_by_text("The numbers behind this chart").click()
    rows = page.locator("#member-chart details table tbody tr")
    assert rows.count() > 20
    assert "Group session" in page.locator("#member-chart details").inner_text()
    page.set_viewport_size(PHONE)
    assert page.locator("#member-chart svg.chart-narrow").is_visible()
    context.close()
