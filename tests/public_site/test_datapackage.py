"""The data package of /data/ validates with frictionless against the live files."""

import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from frictionless import Package, validate

from public_site import opendata


def _descriptor(client) -> dict:
    response = client.get(reverse("datapackage"))
    assert response.status_code == 200
    return json.loads(response.content)


def _download(client, descriptor: dict, into: Path) -> Path:
    """Every resource fetched from the portal into a folder, the package pointing at the copies."""
    for resource in descriptor["resources"]:
        address = urlsplit(resource["path"])
        response = client.get(address.path)
        assert response.status_code == 200, resource["path"]
        local = f"{resource['name']}.{resource['format']}"
        (into / local).write_bytes(response.content)
        resource["path"] = local
    path = into / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False))
    return path


def _errors(report) -> list[tuple]:
    return [
        (task.name, error.type, getattr(error, "field_name", getattr(error, "note", "")))
        for task in report.tasks
        for error in task.errors
    ]


def test_the_package_describes_every_dataset_as_csv_and_json(client, demo):
    descriptor = _descriptor(client)
    names = [resource["name"] for resource in descriptor["resources"]]
    assert names == [n for name in opendata.DATASETS for n in (name, f"{name}-json")]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0" and descriptor["sources"]
    for resource in descriptor["resources"]:
        assert resource["titles"]["ko"] and resource["titles"]["en"]
        assert resource["schema"]["primaryKey"]
        for field in resource["schema"]["fields"]:
            assert field["titles"]["ko"] and field["titles"]["en"], field["name"]
    committee = descriptor["resources"][0]["schema"]["fields"]
    assert next(f["titles"] for f in committee if f["name"] == "affiliation") == {
        "ko": "소속",
        "en": "affiliation",
    }


def test_the_csv_keeps_its_byte_order_mark(client, demo):
    descriptor = _descriptor(client)
    for resource in descriptor["resources"]:
        if resource["format"] == "csv":
            body = client.get(urlsplit(resource["path"]).path).content
            assert body.startswith("\ufeff".encode()), resource["name"]


def test_frictionless_validates_the_package_against_the_live_files(client, demo, tmp_path):
    report = validate(_download(client, _descriptor(client), tmp_path))
    assert report.valid, _errors(report)
    assert Package(tmp_path / "datapackage.json").get_resource("meetings").read_rows()


def test_a_broken_column_type_fails_the_validation(client, demo, tmp_path):
    descriptor = _descriptor(client)
    for resource in descriptor["resources"][:2]:  # the committee, as CSV and as JSON
        field = next(f for f in resource["schema"]["fields"] if f["name"] == "name")
        field["type"] = "integer"
    report = validate(_download(client, descriptor, tmp_path))
    assert not report.valid
    errors = _errors(report)
    assert ("committee", "type-error", "name") in errors
    assert ("committee-json", "type-error", "name") in errors


@pytest.mark.parametrize("extra", [0, 20])
def test_query_count_of_the_package(client, demo, django_assert_num_queries, extra):
    from tests.factories import CommitteeMemberFactory

    CommitteeMemberFactory.create_batch(extra)
    with django_assert_num_queries(1):
        client.get(reverse("datapackage"))


@pytest.mark.postgres
def test_frictionless_validates_the_package_of_a_benchmark_database(
    postgres, transactional_db, client, tmp_path
):
    """The package and its files as served from a database `bench_data` generated, at --scale
    0.0001 (the floor of every count: every dataset has rows, every page exists). Full scale
    (500,000 citizens, a million ballots) takes too long for the test suite; the generator
    writes the same shapes at any scale."""
    call_command("bench_data", scale=0.0001, stdout=io.StringIO())
    descriptor = _descriptor(client)
    report = validate(_download(client, descriptor, tmp_path))
    assert report.valid, _errors(report)
    package = Package(tmp_path / "datapackage.json")
    for name in ("meetings", "proposals", "commitments", "milestones", "poll-results"):
        assert package.get_resource(name).read_rows(), name
