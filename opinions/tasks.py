from celery import shared_task

from . import services


@shared_task
def group_opinion_maps() -> int:
    return services.opinion_maps_group()
