import datetime as dt
import io
import itertools
import struct
import zipfile

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from consultations.models import Option, Poll
from councils.models import (
    CommitteeMember,
    Council,
    Document,
    GroupMembership,
    Meeting,
    MemberCategory,
    Minutes,
    WorkingGroup,
)
from ogp_portal.uploads import checked_upload
from outbox.models import Message
from plans.models import ActionPlan, Commitment
from privacy.inventory import inventory
from proposals.models import Call, Proposal

# The boxes a sign-up form must have ticked.
CONSENT = {"is_14_or_older": "on", "agree_terms": "on", "agree_privacy": "on"}

# The smallest files whose content passes as a PDF document and as a PNG image.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


def ole_file(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file (version 3, 512-byte sectors) holding streams of 4,096 bytes or
    more, named by their path: `Scripts/DefaultJScript` is a stream in the storage `Scripts`.

    Each stream is at least as long as the mini-stream cutoff, so it lives in ordinary sectors
    and the file needs no mini FAT: header, one FAT sector (128 sectors of 512 bytes in all),
    the directory, then the streams, padded with zeros to whole sectors.
    The children of a storage are chained as right siblings, which readers accept.
    """
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    # Each entry: name, kind (5 root, 1 storage, 2 stream), children, content of a stream.
    entries = [("Root Entry", 5, [], None)]
    storages = {(): 0}
    for path, content in streams.items():
        *folders, name = path.split("/")
        for depth in range(1, len(folders) + 1):
            if tuple(folders[:depth]) not in storages:
                storages[tuple(folders[:depth])] = len(entries)
                entries[storages[tuple(folders[: depth - 1])]][2].append(len(entries))
                entries.append((folders[depth - 1], 1, [], None))
        entries[storages[tuple(folders)]][2].append(len(entries))
        padded = content.ljust(max(4096, -(-len(content) // 512) * 512), b"\0")
        entries.append((name, 2, [], padded))
    siblings = {a: b for _, _, children, _ in entries for a, b in itertools.pairwise(children)}
    directory_sectors = -(-len(entries) // 4)
    header = b"".join(
        [
            bytes.fromhex("d0cf11e0a1b11ae1"),
            bytes(16),
            struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6),
            bytes(6),
            struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0),
            struct.pack("<109I", 0, *[free] * 108),
        ]
    )
    fat = [fat_sector, *range(2, 1 + directory_sectors), end]

    def entry(number: int, name: str, kind: int, children: list, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return b"".join(
            [
                encoded.ljust(64, b"\0"),
                struct.pack("<HBB", len(encoded), kind, 1),
                struct.pack(
                    "<III",
                    no_stream,
                    siblings.get(number, no_stream),
                    children[0] if children else no_stream,
                ),
                bytes(16 + 4 + 16),
                struct.pack("<IQ", start, size),
            ]
        )

    directory, data = b"", b""
    for number, (name, kind, children, content) in enumerate(entries):
        start, size = (end, 0) if kind == 5 else (0, 0)
        if content is not None:
            start, size = len(fat), len(content)
            fat += [*range(start + 1, start + len(content) // 512), end]
            data += content
        directory += entry(number, name, kind, children, start, size)
    directory = directory.ljust(directory_sectors * 512, b"\0")
    fat = struct.pack("<128I", *fat, *[free] * (128 - len(fat)))
    return header + fat + directory + data


# An HWP 5 document as Hancom writes its header; and a compound file of another kind.
HWP_HEADER = b"HWP Document File".ljust(32, b"\0") + bytes([0, 0, 1, 5])
HWP = ole_file({"FileHeader": HWP_HEADER})
OLE_NOT_HWP = ole_file({"WordDocument": b"\xec\xa5" + bytes(30)})


def hwpx_file(mimetype: bytes = b"application/hwp+zip") -> bytes:
    """An OWPML package: `mimetype` first and stored, then the manifest and one section."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("version.xml", '<?xml version="1.0"?><hv:HCFVersion/>')
        archive.writestr("META-INF/container.xml", '<?xml version="1.0"?><container/>')
        archive.writestr("Contents/content.hpf", '<?xml version="1.0"?><opf:package/>')
        archive.writestr("Contents/section0.xml", '<?xml version="1.0"?><hs:sec/>')
    return buffer.getvalue()


HWPX = hwpx_file()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    # the name the person gave, as sign-up asks for it
    display_name = factory.LazyAttributeSequence(
        lambda u, n: (
            f"{getattr(u, 'first_name', '')} {getattr(u, 'last_name', '')}".strip() or f"시민 {n}"
        )
    )
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")
    # Agreed to the current privacy policy, as every account signed up through the site has.
    privacy_version = factory.LazyFunction(lambda: inventory().version)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """verified=True (the default) gives the person a verified primary address."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ["slug"]

    name = "광주광역시 열린정부파트너십(OGP) 추진 협의회"
    slug = "gwangju-ogp"
    operating_start = dt.date(2021, 5, 1)
    operating_end = dt.date(2022, 7, 31)


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    council = factory.SubFactory(CouncilFactory)
    category = MemberCategory.CIVIL_SOCIETY
    affiliation = factory.Sequence(lambda n: f"시민단체 {n}")
    position = "사무국장"
    name = factory.Sequence(lambda n: f"위원{n}")
    display_order = factory.Sequence(int)
    term_start = dt.date(2021, 5, 4)


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"워킹그룹 {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    purpose = "기후위기 대응 정책을 제안합니다."
    area = "에너지"
    lead = factory.SubFactory(
        CommitteeMemberFactory,
        council=factory.SelfAttribute("..council"),
        user=factory.SubFactory(UserFactory),
    )


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    council = factory.LazyAttribute(lambda m: m.group.council if m.group else CouncilFactory())
    group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"회의 {n}")
    kind = Meeting.Kind.AD_HOC
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=7)
    )
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + dt.timedelta(hours=2))
    venue = "광주광역시청"


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    meeting = factory.SubFactory(
        MeetingFactory,
        starts_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2)),
        status=Meeting.Status.HELD,
        published_at=factory.LazyFunction(timezone.now),
    )
    body = "회의에서 **태양광** 확대를 논의했습니다."
    author = factory.LazyAttribute(lambda m: m.meeting.organiser or UserFactory())


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    council = factory.SubFactory(CouncilFactory)
    title = "문서"
    registration_number = factory.Sequence(lambda n: f"R-{n}")
    date = factory.LazyFunction(timezone.localdate)
    issuing_office = "혁신소통기획관"


def pdf_attachment(model, **fields):
    """An attachment (of a document, minutes, a proposal …) holding `PDF`, stored as the site
    stores an upload: its type read from the content, under a random name."""
    return model.objects.create(**checked_upload(ContentFile(PDF, name="a.pdf")), **fields)


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory(UserFactory)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"공모 {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    description = "OGP 이행과제 안건 공모"
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=9))


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    call = factory.SubFactory(CallFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"제안 {n}")
    problem = "문제"
    solution = "해결책"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    plan = factory.LazyFunction(
        lambda: ActionPlan.objects.get_or_create(
            slug="plan",
            defaults={
                "title": "실행계획",
                "starts_on": dt.date(2021, 4, 1),
                "ends_on": dt.date(2022, 7, 31),
            },
        )[0]
    )
    title = factory.Sequence(lambda n: f"이행과제 {n}")
    lead_agency = "혁신소통기획관"
    problem = "문제"
    description = "약속"
    # It runs over its plan's period.
    starts_on = factory.SelfAttribute("plan.starts_on")
    ends_on = factory.SelfAttribute("plan.ends_on")


class PollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Poll
        skip_postgeneration_save = True

    question = factory.Sequence(lambda n: f"질문 {n}: 찬성하십니까?")
    slug = factory.Sequence(lambda n: f"poll-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=9))
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def options(self, create, extracted, **kwargs):
        if create:
            for order, label in enumerate(extracted or ["찬성", "반대"]):
                Option.objects.create(poll=self, label=label, display_order=order)


class MessageFactory(factory.django.DjangoModelFactory):
    """An e-mail in the outbox to a person, due now."""

    class Meta:
        model = Message

    key = factory.Sequence(lambda n: f"test:{n}")
    recipient = factory.SubFactory(UserFactory)
    address = factory.LazyAttribute(lambda m: m.recipient.email)
    subject = "알림"
    body = "본문"
    due_at = factory.LazyFunction(timezone.now)
