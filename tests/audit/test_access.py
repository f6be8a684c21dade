"""Access records (접속기록): who opened personal data, when, from where and what; append-only."""

import time
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import TOTP
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from audit.models import AccessRecord
from tests.conftest import second_factor
from tests.factories import MessageFactory, ProposalFactory, UserFactory
from tests.totp import current_code
from tests.verification.conftest import residents  # noqa: F401 - a fixture

Kind = AccessRecord.Kind
PASSWORD = "a-long-test-password"


@pytest.fixture
def staff(db):
    return second_factor(UserFactory(username="officer", is_staff=True, is_superuser=True))


def test_a_staff_login_writes_one_access_record(db):
    staff = UserFactory(username="clerk", is_staff=True)
    Client(REMOTE_ADDR="203.0.113.5").post(
        reverse("account_login"), {"login": staff.email, "password": PASSWORD}
    )
    (record,) = AccessRecord.objects.all()
    assert (record.kind, record.actor, record.actor_label, str(record.remote_addr)) == (
        Kind.LOGIN,
        staff,
        staff.email,
        "203.0.113.5",
    )


def test_a_citizen_login_writes_none(citizen):
    Client().post(reverse("account_login"), {"login": citizen.email, "password": PASSWORD})
    assert not AccessRecord.objects.exists()


def test_a_failed_staff_login_writes_one_access_record(staff):
    Client(REMOTE_ADDR="198.51.100.9").post(
        reverse("account_login"), {"login": staff.email, "password": "wrong-password"}
    )
    (record,) = AccessRecord.objects.all()
    assert (record.kind, record.actor, str(record.remote_addr)) == (
        Kind.LOGIN_FAILED,
        staff,
        "198.51.100.9",
    )


def test_failed_staff_logins_past_the_rate_limit_are_recorded_too(staff):
    """The fifth attack run tried a staff address eight times from eight clients: allauth's
    limit (5 in 5 minutes per address) refused the last three before the password was checked,
    and they left no record."""
    for n in range(8):
        answer = Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(
            reverse("account_login"), {"login": staff.email.upper(), "password": "wrong"}
        )
        assert answer.status_code == 200
    assert "too many" in answer.content.decode().lower() or "너무 많" in answer.content.decode()
    kinds = AccessRecord.objects.values_list("kind", "actor")
    assert list(kinds) == [(Kind.LOGIN_FAILED, staff.pk)] * 8


def test_a_failed_login_with_a_staff_members_other_address_writes_one_access_record(staff):
    """The third attack run signed in with a staff member's second verified address: the
    failure named no staff account's `email`, and was not recorded."""
    EmailAddress.objects.create(user=staff, email="second.clerk@example.org", verified=True)
    Client().post(
        reverse("account_login"), {"login": "SECOND.clerk@example.org", "password": "wrong"}
    )
    (record,) = AccessRecord.objects.all()
    assert (record.kind, record.actor) == (Kind.LOGIN_FAILED, staff)


def test_a_wrong_second_factor_code_at_a_staff_login_writes_one_access_record(db):
    """The attack run signed in with a staff password and a wrong authenticator code: the
    failed sign-in left no access record, so guessing codes with a stolen password went
    unseen."""
    staff = UserFactory(username="clerk", is_staff=True)
    TOTP.activate(staff, totp_auth.generate_totp_secret())
    client = Client(REMOTE_ADDR="198.51.100.7")
    answer = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert answer["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    (record,) = AccessRecord.objects.all()
    assert (record.kind, record.actor, str(record.remote_addr)) == (
        Kind.LOGIN_FAILED,
        staff,
        "198.51.100.7",
    )


def test_authenticator_codes_refused_past_the_limit_are_recorded_too(db, monkeypatch):
    """Wrong codes past allauth's limit (5 in 5 minutes per account) were refused before the
    code was checked, and left no record. Each attempt is recorded now, those refused marked;
    the right code is still refused until the limit has passed."""
    from allauth.core.internal import ratelimit

    from audit.access import REFUSED_PAST_LIMIT

    staff = UserFactory(username="clerk", is_staff=True)
    secret = totp_auth.generate_totp_secret()
    TOTP.activate(staff, secret)

    client = Client(REMOTE_ADDR="198.51.100.7")
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    for _ in range(7):
        wrong = "000000" if current_code(secret) != "000000" else "111111"
        answer = client.post(reverse("mfa_authenticate"), {"code": wrong})
        assert answer.status_code == 200
    assert "too many" in answer.content.decode().lower() or "너무 많" in answer.content.decode()
    answer = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert answer.status_code == 200  # refused: still past the limit
    records = AccessRecord.objects.order_by("pk").values_list("kind", "actor", "target")
    assert (
        list(records)
        == [(Kind.LOGIN_FAILED, staff.pk, "")] * 5
        + [(Kind.LOGIN_FAILED, staff.pk, REFUSED_PAST_LIMIT)] * 3
    )
    later = time.time() + 5 * 60 + 1  # on the clock of allauth's limits only
    clock = SimpleNamespace(time=lambda: later, monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(ratelimit, "time", clock)
    answer = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert answer.status_code == 302
    assert AccessRecord.objects.order_by("pk").last().kind == Kind.LOGIN


def test_a_failed_security_key_at_the_second_step_is_recorded(db, monkeypatch):
    """The seventh attack run: a security key's answer that failed at the second step of a
    staff sign-in (an answer to no challenge of this session, or none a key of the account
    gave) left no access record; a wrong code leaves one."""
    from allauth.mfa.base import views as mfa_views

    # The page asks the browser for a key's answer; what it asks is not under test here.
    monkeypatch.setattr(mfa_views.webauthn_auth, "begin_authentication", lambda user: {})
    staff = UserFactory(username="clerk", is_staff=True)
    Authenticator.objects.create(
        user=staff, type=Authenticator.Type.WEBAUTHN, data={"name": "key", "credential": {}}
    )
    client = Client(REMOTE_ADDR="198.51.100.7")
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    AccessRecord.objects.all().delete()  # the sign-in's own, by password
    for credential in [
        '{"id": "a-key"}',
        '{"id": "a-key", "rawId": "a-key", "type": "public-key"}',
    ]:
        answer = client.post(reverse("mfa_authenticate"), {"credential": credential})
        assert answer.status_code == 200
    records = AccessRecord.objects.order_by("pk").values_list("kind", "actor", "target")
    assert list(records) == [(Kind.LOGIN_FAILED, staff.pk, "")] * 2


def test_authenticator_codes_refused_past_the_limit_when_asked_again_are_recorded_too(db):
    from audit.access import REFUSED_PAST_LIMIT

    staff = UserFactory(username="clerk", is_staff=True)
    TOTP.activate(staff, totp_auth.generate_totp_secret())
    client = Client()
    client.force_login(staff)
    for _ in range(6):
        assert client.post(reverse("mfa_reauthenticate"), {"code": "wrong"}).status_code == 200
    records = AccessRecord.objects.order_by("pk").values_list("kind", "actor", "target")
    assert list(records) == [(Kind.LOGIN_FAILED, staff.pk, "")] * 5 + [
        (Kind.LOGIN_FAILED, staff.pk, REFUSED_PAST_LIMIT)
    ]


def test_wrong_codes_at_a_staff_sign_in_by_code_write_an_access_record_each(staff):
    """The fourth attack run asked for a sign-in code for a staff address and typed three
    wrong ones: nothing was recorded."""
    client = Client(REMOTE_ADDR="198.51.100.8")
    client.post(reverse("account_request_login_code"), {"email": staff.email})
    for _ in range(3):
        client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    records = AccessRecord.objects.values_list("kind", "actor", "remote_addr")
    assert list(records) == [(Kind.LOGIN_FAILED, staff.pk, "198.51.100.8")] * 3


def test_the_admins_search_as_you_type_over_people_writes_one_access_record(staff, citizen):
    """The attack run listed people through the admin's search-as-you-type (a proposal's
    author field), searching by address and name, and left no record."""
    client = Client()
    client.force_login(staff)
    answer = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "proposals", "model_name": "proposal", "field_name": "author", "term": ""},
    )
    assert answer.status_code == 200 and citizen.username in answer.content.decode()
    (record,) = AccessRecord.objects.all()
    assert (record.kind, record.actor, record.target) == (Kind.VIEW, staff, "ogp_portal.user")


def test_a_staff_search_keeps_no_name_after_the_person_is_deleted(staff, citizen):
    """A search typed in the admin is kept as a keyed mark: the same words give the same mark
    (an auditor with the key can check a name), and the name searched for does not outlive
    the person's deletion in the records."""
    from audit.access import searched_mark
    from privacy.services import account_delete

    citizen.first_name, citizen.last_name = "Minsu", "Kimura"
    citizen.save()
    client = Client()
    client.force_login(staff)
    for term in ("Kimura", "  kimura ", citizen.email):
        answer = client.get(reverse("admin:ogp_portal_user_changelist"), {"q": term})
        assert answer.status_code == 200
    client.get(
        reverse("admin:autocomplete"),
        {"app_label": "proposals", "model_name": "proposal", "field_name": "author",
         "term": "Kimura"},
    )  # fmt: skip
    # The second attack run: the admin carries the list's search on into the person's page.
    carried = client.get(
        reverse("admin:ogp_portal_user_change", args=[citizen.pk]),
        {"_changelist_filters": f"q={citizen.email}&is_staff__exact=0"},
    )
    assert carried.status_code == 200
    email = citizen.email
    account_delete(user=citizen)
    paths = list(AccessRecord.objects.values_list("path", flat=True))
    assert len(paths) == 5
    assert "is_staff__exact" in "".join(paths)  # the admin's own filter is kept
    decoded = [unquote(unquote(path)) for path in paths]
    assert not [path for path in decoded if "imura" in path or email.split("@")[0] in path]
    changelist = reverse("admin:ogp_portal_user_changelist")
    assert paths.count(f"{changelist}?q={searched_mark('Kimura')}") == 2


def test_a_staff_view_of_a_users_page_writes_one_access_record(staff, citizen):
    client = Client(REMOTE_ADDR="192.0.2.44")
    client.force_login(staff)
    page = client.get(reverse("admin:ogp_portal_user_change", args=[citizen.pk]))
    assert page.status_code == 200
    (record,) = AccessRecord.objects.all()
    assert record.kind == Kind.VIEW and record.actor == staff
    assert (
        record.target == f"ogp_portal.user #{citizen.pk}"
        and str(record.remote_addr) == "192.0.2.44"
    )
    assert record.path == reverse("admin:ogp_portal_user_change", args=[citizen.pk])


def test_a_staff_page_shown_in_answer_to_a_post_writes_one_access_record(staff):
    """The third attack run POSTed a proposal's admin page back with only its CSRF token: the
    page (with the proposer's contact) was shown again, and nothing recorded it."""
    proposal = ProposalFactory(contact="010-9876-5432")
    client = Client()
    client.force_login(staff)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    answer = client.post(url, {})
    assert answer.status_code == 200
    (record,) = AccessRecord.objects.all()
    assert (record.kind, record.target) == (Kind.VIEW, f"proposals.proposal #{proposal.pk}")


def test_reading_an_outbox_body_is_an_access_record(staff):
    message = MessageFactory()
    client = Client()
    client.force_login(staff)
    client.get(reverse("admin:outbox_message_change", args=[message.pk]))
    assert AccessRecord.objects.get().target == f"outbox.message #{message.pk}"


def test_pages_without_personal_data_write_none(staff):
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("admin:proposals_area_changelist")).status_code == 200
    assert client.get("/").status_code == 200
    assert not AccessRecord.objects.exists()


def test_a_personal_data_export_is_a_download_record(citizen):
    client = Client()
    client.force_login(citizen)
    assert client.get(reverse("privacy:export")).status_code == 200
    assert AccessRecord.objects.get().kind == Kind.DOWNLOAD


def test_staff_review_the_records_filtered_per_person(staff, citizen):
    other = second_factor(UserFactory(username="other-staff", is_staff=True, is_superuser=True))
    for person in (staff, other):
        client = Client()
        client.force_login(person)
        client.get(reverse("admin:ogp_portal_user_change", args=[citizen.pk]))
    client = Client()
    client.force_login(staff)
    listing = client.get(
        reverse("admin:audit_accessrecord_changelist"), {"actor__id__exact": other.pk}
    )
    assert listing.status_code == 200
    text = listing.content.decode()
    assert other.email in text and f'<td class="field-actor_label">{staff.email}' not in text


@pytest.mark.postgres
def test_the_database_refuses_to_change_or_delete_an_access_record(postgres, staff):
    record = AccessRecord.objects.create(actor=staff, actor_label=staff.email, kind=Kind.VIEW)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AccessRecord.objects.filter(pk=record.pk).update(actor_label="someone else")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AccessRecord.objects.filter(pk=record.pk).delete()
    assert AccessRecord.objects.get(pk=record.pk).actor_label == staff.email


@pytest.mark.usefixtures("residents")
def test_a_poll_officers_lookup_of_a_resident_writes_one_access_record_whatever_the_answer(client):
    """The attack run asked, as a poll officer (not staff), whether people were on the
    residents' list or had voted online: the answers were refusals (400) and left no record."""
    from audit.access import searched_mark
    from consultations.models import Booth
    from tests.factories import PollFactory
    from verification.models import Method

    poll = PollFactory(slug="residents", required_verification=Method.RESIDENT)
    booth = Booth.objects.create(poll=poll, name="용봉동 행정복지센터", place="북구 용봉로 1")
    officer = UserFactory(username="officer")
    booth.officers.add(officer)
    client.force_login(officer)
    url = booth.get_absolute_url()
    asked = {"name": "김민지", "birth_date": "1990-03-01", "district": "buk"}
    assert client.post(url, asked).status_code == 302  # recorded: a paper ballot
    assert client.post(url, asked).status_code == 400  # has voted already
    stranger = {"name": "홍길동", "birth_date": "1970-01-01", "district": "seo"}
    assert client.post(url, stranger).status_code == 400  # not on the list
    yes, no = (o.pk for o in poll.options.all())
    client.post(url, {"ballots": 1, "invalid": 0, f"option_{yes}": 1, f"option_{no}": 0})
    records = list(AccessRecord.objects.order_by("pk"))
    assert [(r.kind, r.actor) for r in records] == [(Kind.VIEW, officer)] * 3  # not the totals
    assert records[2].target == (f"consultations:booth {searched_mark('홍길동 1970-01-01 seo')}")
    assert not [r for r in records if "홍길동" in r.target + r.path]


def test_filters_typed_in_the_admins_address_keep_no_value_after_the_person_is_deleted(
    staff, citizen
):
    """The fourth attack run typed filters other than the search into the admin's address
    (`?first_name=…`, `?email__iexact=…` in other letters): the records kept them whole after
    the person's deletion. Every value that staff may type is kept as its mark; the admin's
    own controls and fixed choices (a yes or no, a status) stay readable."""
    from audit.access import searched_mark
    from privacy.services import account_delete

    citizen.first_name, citizen.last_name = "Minsu", "Kimura"
    citizen.save()
    email = citizen.email
    client = Client()
    client.force_login(staff)
    changelist = reverse("admin:ogp_portal_user_changelist")
    for query in (
        {"first_name": "Minsu"},
        {"email__iexact": email.upper(), "is_staff__exact": "0", "o": "2"},
        {"last_name__in": "Kimura,Lee"},
        {"is_active__exact": "Kimura"},  # a name typed into a yes-or-no filter
    ):
        assert client.get(changelist, query).status_code in (200, 302)
    client.get(
        reverse("admin:ogp_portal_user_change", args=[citizen.pk]),
        {"_changelist_filters": f"first_name=Minsu&email__iexact={email.upper()}"},
    )
    client.get(reverse("admin:outbox_message_changelist"), {"status__exact": "sent"})
    paths = list(AccessRecord.objects.values_list("path", flat=True))
    decoded = " ".join(unquote(unquote(path)) for path in paths)
    for value in ("Minsu", "Kimura", email.split("@")[0], email.split("@")[0].upper()):
        assert value not in decoded, value
    assert f"first_name={searched_mark('Minsu')}" in decoded
    assert "is_staff__exact=0" in decoded and "o=2" in decoded
    assert "status__exact=sent" in decoded
    account_delete(user=citizen)
    decoded = " ".join(
        unquote(unquote(p)) for p in AccessRecord.objects.values_list("path", flat=True)
    )
    assert "Minsu" not in decoded and email.split("@")[0].casefold() not in decoded.casefold()


def test_a_name_typed_in_the_admins_address_is_kept_only_as_its_mark(staff, citizen):
    """Issue #24 (5): a name typed into the path of an admin address (which the admin answers
    with a redirect when it names no record) or as a query's key stayed whole in the staff
    member's access record after the person's deletion. A record keeps of the path what its
    route makes of it (a parameter that is a key as it is, any other as its mark) and of the
    query the keys the page reads; the same words give the same mark wherever they were typed."""
    from audit.access import searched_mark
    from privacy.services import account_delete

    citizen.first_name, citizen.last_name = "Minsu", "Kimura"
    citizen.save()
    username = citizen.username
    client = Client()
    client.force_login(staff)
    changelist = reverse("admin:ogp_portal_user_changelist")
    for name in ("Kimura", username, "김민수"):
        assert client.get(reverse("admin:ogp_portal_user_change", args=[name])).status_code == 302
    assert client.get(reverse("admin:ogp_portal_user_history", args=["Kimura"])).status_code == 302
    assert client.get(changelist, {"Kimura": "1", "o": "2"}).status_code == 302
    assert client.get(changelist, {f"{username}__exact": "", "김민수": "x"}).status_code == 302
    client.get(
        reverse("admin:ogp_portal_user_change", args=[citizen.pk]),
        {"_changelist_filters": "Kimura=1&is_staff__exact=0"},
    )
    records = list(AccessRecord.objects.order_by("pk"))
    mark = searched_mark("Kimura")
    assert [(r.path, r.target) for r in records[:4:3]] == [
        (reverse("admin:ogp_portal_user_change", args=[mark]), f"ogp_portal.user #{mark}"),
        (reverse("admin:ogp_portal_user_history", args=[mark]), f"ogp_portal.user #{mark}"),
    ]
    assert records[2].path == (
        reverse("admin:ogp_portal_user_change", args=[searched_mark("김민수")])
    )
    assert f"{changelist}?{mark}={searched_mark('1')}&o=2" in [r.path for r in records]
    one = searched_mark("1")
    assert records[-1].path.endswith(f"_changelist_filters={mark}%3D{one}%26is_staff__exact%3D0")
    account_delete(user=citizen)
    kept = " ".join(
        unquote(unquote(record.path + " " + record.target)) for record in AccessRecord.objects.all()
    )
    for name in ("Kimura", "Minsu", username, "김민수"):
        assert name.casefold() not in kept.casefold(), name


def test_an_admin_change_page_and_filter_stay_readable(staff, citizen):
    """What the site's routes and the admin's filters make of an address stays as it is: the
    keys of the admin's filters (a date hierarchy's too), the values of fixed choices."""
    from audit.access import searched_mark

    client = Client()
    client.force_login(staff)
    changelist = reverse("admin:outbox_message_changelist")
    change = reverse("admin:ogp_portal_user_change", args=[citizen.pk])
    query = {"status__exact": "sent", "created_at__year": "2026", "channel__exact": "email"}
    assert client.get(changelist, {**query, "o": "1"}).status_code == 200
    assert client.get(change, {"_changelist_filters": "is_staff__exact=0&q="}).status_code == 200
    assert list(AccessRecord.objects.order_by("pk").values_list("path", "target")) == [
        (
            f"{changelist}?status__exact=sent&created_at__year={searched_mark('2026')}"
            "&channel__exact=email&o=1",
            "outbox.message",
        ),
        (
            f"{change}?_changelist_filters=is_staff__exact%3D0%26q%3D",
            f"ogp_portal.user #{citizen.pk}",
        ),
    ]


def test_a_path_that_no_named_route_writes_again_keeps_only_its_keys(rf):
    from audit.access import recorded_route, searched_mark

    request = rf.get("/admin/ogp_portal/user/12/Kimura/")
    request.resolver_match = None
    marked = "/".join(searched_mark(s) for s in ("admin", "ogp_portal", "user"))
    assert recorded_route(request) == f"/{marked}/12/{searched_mark('Kimura')}/"
