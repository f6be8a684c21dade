"""Department reviews: on their own, and inside their proposal."""

from django.contrib import admin

from ..models import (
    Review,
)


class ReviewInline(admin.StackedInline):
    model = Review
    extra = 0
    autocomplete_fields = ["reviewer"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["proposal", "department", "reviewer", "starts_on", "ends_on", "recommendation"]
    list_filter = ["department", "recommendation"]
    search_fields = ["proposal__title", "department", "opinion"]
    autocomplete_fields = ["reviewer"]
