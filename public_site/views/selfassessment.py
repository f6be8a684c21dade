"""The self-assessment report: a page (printable) and JSON, from the same figures as the tracker."""

import json

from django.http import HttpResponse
from django.views.generic import TemplateView

from plans.models import Commitment, Milestone

from .. import selfassessment
from .transparency import primary_council


class SelfAssessmentView(TemplateView):
    template_name = "public/self_assessment.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=selfassessment.report(primary_council()),
            milestone_rules=Milestone.RULES,
            commitment_rules=Commitment.RULES,
            **kwargs,
        )


def self_assessment_json(request):
    document = selfassessment.document(selfassessment.report(primary_council()))
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
