"""`make run` runs the periodic jobs beside the site, as production does, with nothing to add."""

import datetime as dt
import os
import signal
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from consultations import services
from consultations.models import Booth, Result
from tests.conftest import require
from tests.consultations.conftest import option_ids
from tests.factories import PollFactory, UserFactory
from tests.faults.services import wait_for
from tests.verification.conftest import KIM

ROOT = Path(__file__).resolve().parents[2]


def make_jobs(broker_dir: Path) -> subprocess.Popen:
    """`make jobs`, the command `make run` starts beside the site, on the test's database."""
    database = settings.DATABASES["default"]
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="ogp_portal.settings.local",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,  # the key that opens the envelopes
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        DATABASE_POOL="false",
    )
    return subprocess.Popen(
        ["make", "--no-print-directory", "jobs", f"JOBS_DIR={broker_dir}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


# Done when: a closed poll with all booth totals publishes under `make run` without any
# manual step.


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_closed_poll_with_every_booth_total_publishes_under_make_run(tmp_path):
    # the worker is a process of its own: it sees the test's rows on PostgreSQL only
    require(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), "PostgreSQL")
    opened = timezone.now() - dt.timedelta(days=2)
    poll = PollFactory(opens_at=opened, closes_at=timezone.now() + dt.timedelta(days=1))
    voter = UserFactory()
    services.poll_vote(poll=poll, user=voter, option_ids=option_ids(poll, "찬성"))
    booth = Booth.objects.create(poll=poll, name="용봉동", place="북구", opening_hours="9–18")
    services.booth_participation_record(booth=booth, **KIM, id_checked=True)
    yes, no = option_ids(poll, "찬성", "반대")
    services.booth_totals_enter(booth=booth, ballots=1, invalid=0, votes={yes: 0, no: 1})
    poll.closes_at = timezone.now() - dt.timedelta(seconds=1)
    poll.save(update_fields=["closes_at"])
    assert not Result.objects.exists()

    jobs = make_jobs(tmp_path)
    try:
        # beat's close-polls runs every minute; nobody presses anything
        assert wait_for(lambda: Result.objects.filter(poll=poll).exists(), 180, step=1)
    finally:
        os.killpg(jobs.pid, signal.SIGTERM)
        jobs.wait(30)
    result = Result.objects.get(poll=poll)
    assert result.counts == [["찬성", 1], ["반대", 1]] and result.ballots == 2
