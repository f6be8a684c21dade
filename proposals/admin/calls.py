"""Calls, their areas and their ladders of support thresholds."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from ogp_portal.admin import (
    ReadableSlugAdminMixin,
)

from ..models import (
    Area,
    Call,
    SupportThreshold,
)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "display_order"]
    search_fields = ["name"]


class ThresholdInline(admin.TabularInline):
    model = SupportThreshold
    extra = 0


@admin.register(Call)
class CallAdmin(ReadableSlugAdminMixin, admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "status_label", "is_demo"]
    list_filter = ["is_demo", "areas"]
    search_fields = ["title", "description"]
    # A few areas: boxes to tick, readable by every assistive technology.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    exclude = ["followers"]
    inlines = [ThresholdInline]

    @admin.display(description=_("status"))
    def status_label(self, call):
        return call.status.label
