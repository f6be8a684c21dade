"""Each open dataset has versions, recorded by beat when its content changes; the dataset says
its version with Last-Modified and ETag (304 to a conditional request), and the news feed
announces each new version."""

import json
import xml.etree.ElementTree as ET

from django.urls import reverse

from councils.models import Meeting
from public_site import opendata, services, tasks
from public_site.models import DatasetVersion

ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_version_is_recorded_once_per_content(demo):
    first = services.dataset_versions_record()
    assert sorted(v.name for v in first) == sorted(opendata.DATASETS)
    assert all(v.number == 1 and len(v.sha256) == 64 for v in first)
    assert tasks.record_dataset_versions() == 0  # nothing changed: safe to run twice
    meeting = Meeting.objects.public().first()
    meeting.title = "바뀐 제목"
    meeting.save(update_fields=["title"])
    second = services.dataset_versions_record()
    assert [(v.name, v.number) for v in second] == [("meetings", 2)]
    assert DatasetVersion.objects.latest_per_dataset()["meetings"].number == 2


def test_the_dataset_says_its_version_and_answers_304(client, demo):
    services.dataset_versions_record()
    url = reverse("opendata_dataset", args=["meetings", "json"])
    response = client.get(url)
    assert json.loads(response.content)["version"] == 1
    assert response["Dataset-Version"] == "1" and response["Last-Modified"]
    assert 'rel="alternate"' in response["Link"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


def test_the_news_feed_announces_new_versions(client, demo):
    services.dataset_versions_record()
    feed = ET.fromstring(client.get(reverse("feed_news")).content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert "공공데이터: meetings, 버전 1" in titles
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")]
    assert any(link.endswith("/data/meetings.csv") for link in links)


def test_the_dataset_query_count_stays(client, demo, django_assert_num_queries):
    services.dataset_versions_record()
    url = reverse("opendata_dataset", args=["committee", "json"])
    with django_assert_num_queries(2):
        client.get(url)
