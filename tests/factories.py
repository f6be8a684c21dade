import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from councils.models import CommitteeMember, Council, MemberCategory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")

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
