"""The staff journey in a real browser (Debian's chromium driven by Playwright) against the
app served on loopback: log in, create a group, bulk-enrol with one bad row, reply YES and
"pain 7" in the phone simulator, read the replies that need a person (a crisis on top),
see it on the dashboard, acknowledge an alert, export CSV.
Screenshots are kept in test-artifacts/."""

from __future__ import annotations

import pytest

from service.platform.db import db
from service.staff.auth import create_user
from tests.browser.conftest import ARTIFACTS, shot
from tests.conftest import daytime_zone, run_jobs

PASSWORD = "journey password 1"


@pytest.fixture
def served(serve):
    base, app = serve(CRISIS_ALERT_PHONE="+12085550100")
    with app.app_context():
        create_user(db.session(), "fac@example.org", "facilitator", PASSWORD, "Fran")
        create_user(db.session(), "clin@example.org", "clinician", PASSWORD, "Cleo")
        db.session().commit()
    return base, app


def test_staff_journey(served, page):
    base, app = served
    # Log in.
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill("fac@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your groups").wait_for()
    shot(page, "01-groups")

    # Create a group.
    page.get_by_role("link", name="Create a group").click()
    page.get_by_label("Name").fill("Thursday CBT group")
    page.get_by_label("Time zone").fill(daytime_zone())  # so invitations go out at once
    page.get_by_role("button", name="Create group").click()
    page.get_by_role("heading", name="Thursday CBT group").wait_for()

    # Bulk-enrol with one bad row: nothing imported until we choose to skip it.
    page.get_by_label("Paste one member a line").fill(
        "208-555-0101, Ana\n12345, Bad row\n208-555-0102, Ben, , es"
    )
    page.get_by_role("button", name="Check and enrol").click()
    page.get_by_text("nothing has been imported yet").wait_for()
    assert page.locator("tr.row-bad").count() == 1
    shot(page, "02-bulk-report")
    page.get_by_role("button", name="Import the 2 good rows, skip the rest").click()
    page.get_by_text("Enrolled 2 members; 1 row skipped.").wait_for()
    assert page.locator("span.badge.invited").count() == 2
    shot(page, "03-members")
    with app.app_context():
        run_jobs(app)  # the worker sends the invitations (console backend)

    # Play Ana on the phone simulator: YES, then pain 7, then FLARE (raises an alert).
    page.get_by_role("link", name="Phone simulator").click()
    page.get_by_label("Phone number").fill("+12085550101")
    page.get_by_role("button", name="Open phone").click()
    page.get_by_text("Reply YES to join").wait_for()
    for text, answer in (
        ("YES", "welcome"),
        ("pain 7", "pain 7/10"),
        ("FLARE", "Sorry you're having a flare"),
        ("is there a way to stop the texts on weekends?", "saved for your care team"),
        ("I hope I dont wake up tomorrow", "988"),
    ):
        page.get_by_label("Text message").fill(text)
        page.get_by_role("button", name="Send").click()
        page.locator(".bubble", has_text=answer).first.wait_for()
    shot(page, "04-simulator")
    # The replies a person must read: the crisis on top, the question below, mark handled.
    page.goto(base + "/")
    page.get_by_role("link", name="Thursday CBT group").first.click()
    page.get_by_role("link", name="Replies to read (2)").click()
    page.get_by_role("heading", name="Replies to read").wait_for()
    cards = page.locator("li.reply-card")
    assert cards.count() == 2
    assert "Crisis language" in cards.nth(0).inner_text()
    assert "A question about the texts" in cards.nth(1).inner_text()
    shot(page, "04b-replies")
    cards.nth(1).get_by_role("button", name="Mark as handled").click()
    page.get_by_text("Marked as handled.").wait_for()
    assert page.locator("li.reply-card").count() == 1

    # The clinician dashboard shows the reply and the alert; acknowledge it.
    page.goto(base + "/")
    page.get_by_role("link", name="Dashboard").first.click()
    page.get_by_role("heading", name="Thursday CBT group: dashboard").wait_for()
    assert page.locator("td.latest-pain", has_text="7/10").count() == 1
    assert page.locator("#chart-pain svg.chart-wide circle.median").count() == 1
    shot(page, "05-dashboard")
    # The crisis is on top; the facilitator may acknowledge the flare, not the crisis.
    cards = page.locator("li.alert-card")
    assert cards.first.get_attribute("data-alert-kind") == "crisis"
    assert cards.first.get_by_role("button", name="Acknowledge").count() == 0
    flare = page.locator("li.alert-card[data-alert-kind=flare]")
    flare.get_by_label("What was done").select_option("texted_client")
    flare.get_by_role("button", name="Acknowledge").click()
    page.get_by_text("Alert #").first.wait_for()
    assert (
        "Acknowledged by Fran" in page.locator("li.alert-card[data-alert-kind=flare]").inner_text()
    )
    page.get_by_role("link", name="Ana").first.click()
    assert page.locator("#member-chart svg.chart-wide circle.point-pain").count() == 1
    assert page.locator(".bubble-crisis .crisis-label").count() == 1
    shot(page, "06-member")
    page.go_back()

    # Nobody acknowledges the crisis for 16 minutes: the clock escalates it.
    from datetime import timedelta

    from sqlalchemy import select

    from jobs.sweeps import run_sweep
    from service.messaging.sms import get_backend
    from service.models import Group, StaffUser
    from service.platform.db import utcnow

    with app.app_context():
        session = db.session()
        clinician = session.scalar(select(StaffUser).where(StaffUser.email == "clin@example.org"))
        group = session.scalar(select(Group))
        group.staff.append(clinician)  # an admin assigns Cleo
        session.commit()
        for minutes in (16, 32):
            report = run_sweep(
                app, db.session(), get_backend(app), now=utcnow() + timedelta(minutes=minutes)
            )
            assert report.escalated == 1
        run_jobs(app)
    page.reload()
    crisis_card = page.locator("li.alert-card[data-alert-kind=crisis]")
    text = crisis_card.inner_text()
    assert (
        "First notice: sms" in text and "Escalation 1: sms" in text and "Escalation 2: sms" in text
    )

    # A clinician, on a phone, acknowledges it with what was done and a note.
    page.get_by_role("button", name="Log out").click()
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Email").fill("clin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Dashboard").first.click()
    crisis_card = page.locator("li.alert-card[data-alert-kind=crisis]")
    crisis_card.get_by_label("What was done").select_option("called_client")
    crisis_card.get_by_label("Note (optional)").fill(
        "Called Ana, she is safe; safety plan reviewed"
    )
    shot(page, "07-crisis-phone")
    crisis_card.get_by_role("button", name="Acknowledge").click()
    page.get_by_text("acknowledged.").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scroll"
    text = page.locator("li.alert-card[data-alert-kind=crisis]").inner_text()
    assert (
        "Acknowledged by Cleo" in text
        and "Called the client" in text
        and "safety plan reviewed" in text
    )
    shot(page, "08-dashboard-phone")
    page.get_by_role("link", name="Ana").first.click()
    assert "safety plan reviewed" in page.locator("#alerts").inner_text()
    shot(page, "09-member-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Export CSV.
    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    csv_path = ARTIFACTS / "export.csv"
    download_info.value.save_as(csv_path)
    lines = csv_path.read_text().splitlines()
    assert lines[0].startswith("participant_id,name,kind,value")
    assert any(",Ana,pain,7," in line for line in lines)
