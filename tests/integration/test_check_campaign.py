"""`check` over a campaign against real servers (dnsmasq + purpose-built SMTP servers): results are
recorded, good addresses become checked_ok, bad ones checked_bad, and the planner skips them."""

from pathlib import Path

from maildaemon.deliverability.check import check_campaign
from maildaemon.deliverability.probe import ProbeSettings
from maildaemon.intake.roster import RosterRow
from maildaemon.outbound.planner import plan_campaign
from maildaemon.store import Store
from tests.integration.test_probe import S, servers, settings  # noqa: F401  (fixtures)
from tests.support.factories import MONDAY_10, make_campaign


async def test_check_campaign_sets_states(settings: ProbeSettings, tmp_path: Path) -> None:  # noqa: F811
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'md.db'}")
    await store.init_schema()
    try:
        campaign, text = make_campaign()
        cid = await store.create_campaign(campaign, text, MONDAY_10)
        emails = {
            f"an@accept.{S}": "checked_ok", f"nobody@reject.{S}": "checked_bad", f"an@nxdomain.{S}": "checked_bad",
            f"an@nullmx.{S}": "checked_bad", f"an@policy.{S}": "new", f"an@down.{S}": "new",
            f"whoever@catchall.{S}": "checked_ok",
        }  # fmt: skip
        rows = [RosterRow(line=i + 2, email=e, full_name="Lê Thị Mỹ Dung", agency_name="Sở Tư pháp", agency_code="STP")
                for i, e in enumerate(emails)]  # fmt: skip
        await store.import_roster(cid, "Tỉnh", rows, MONDAY_10, "r.csv")
        summary = await check_campaign(store, campaign.name, settings)
        assert summary.checked == len(emails)
        for email, state in emails.items():
            assert (await store.respondent(cid, email))["delivery"] == state, email
        assert {t.email for t, _ in summary.bad} == {e for e, s in emails.items() if s == "checked_bad"}
        assert summary.by_agency["Sở Tư pháp"]["accepted"] == 1
        history = await store.address_history(f"nobody@reject.{S}")
        assert [h.kind for h in history if h.kind == "check"] == ["check"]
        # the planner does not invite checked_bad addresses
        assert await plan_campaign(store, cid, campaign, False, MONDAY_10) == 4
    finally:
        await store.close()
