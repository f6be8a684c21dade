"""The inventory of personal data (inventory.toml), read once: the policy page, the consent
summary and the retention job all read it from here."""

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

PATH = Path(__file__).with_name("inventory.toml")


@dataclass(frozen=True)
class Text:
    ko: str
    en: str

    def __str__(self) -> str:
        """The text in the active language; Korean, the policy's own, otherwise."""
        return self.en if (get_language() or "").startswith("en") else self.ko


@dataclass(frozen=True)
class Retention:
    text: Text
    days: int | None

    def __str__(self) -> str:
        return str(self.text)

    @property
    def period(self) -> dt.timedelta | None:
        return dt.timedelta(days=self.days) if self.days is not None else None


@dataclass(frozen=True)
class Item:
    key: str
    name: Text
    purpose: Text
    basis_key: str
    basis: Text
    retention: Retention
    audience: str
    required: bool
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Inventory:
    version: str
    items: tuple[Item, ...]
    retention: dict[str, Retention]
    bases: dict[str, Text]

    @property
    def fields(self) -> set[str]:
        return {field for item in self.items for field in item.fields}

    def by_consent(self, *, required: bool) -> list[Item]:
        """What sign-up asks consent for: the required items, or the optional ones."""
        return [i for i in self.items if i.basis_key == "consent" and i.required == required]


AUDIENCES = {"public", "members", "staff", "nobody"}


@cache
def inventory() -> Inventory:
    data = tomllib.loads(PATH.read_text(encoding="utf-8"))
    bases = {key: Text(**texts) for key, texts in data["bases"].items()}
    retention = {
        key: Retention(text=Text(ko=spec["ko"], en=spec["en"]), days=spec.get("days"))
        for key, spec in data["retention"].items()
    }
    items = []
    for spec in data["item"]:
        if spec["audience"] not in AUDIENCES:
            raise ValueError(f"{spec['key']}: unknown audience {spec['audience']!r}")
        items.append(
            Item(
                key=spec["key"],
                name=Text(ko=spec["ko"], en=spec["en"]),
                purpose=Text(ko=spec["purpose_ko"], en=spec["purpose_en"]),
                basis_key=spec["basis"],
                basis=bases[spec["basis"]],
                retention=retention[spec["retention"]],
                audience=spec["audience"],
                required=spec["required"],
                fields=tuple(spec["fields"]),
            )
        )
    return Inventory(version=data["version"], items=tuple(items), retention=retention, bases=bases)
